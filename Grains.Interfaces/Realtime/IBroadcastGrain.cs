using Orleans.Concurrency;

namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// Sends a message to every connected user of the cluster (key: <see cref="Streams.StreamNames.AllKey"/>). Fronts
/// subscribe to it like to a room, and a broadcast is pushed once to each of them.
/// </summary>
public interface IBroadcastGrain : IGrainWithStringKey
{
    /// <summary>Pushes <paramref name="data"/> (JSON text) once to every subscribed front; each writes it to all its sockets.</summary>
    Task<BroadcastMessage> Broadcast(string data);

    /// <summary>Registers (or renews) <paramref name="front"/> as a receiver of broadcasts for <paramref name="lease"/>.</summary>
    [AlwaysInterleave]
    Task Subscribe(string frontId, IFrontObserver front, TimeSpan lease);

    /// <summary>Stops pushing to the front (it is shutting down).</summary>
    [AlwaysInterleave]
    Task Unsubscribe(string frontId);
}
