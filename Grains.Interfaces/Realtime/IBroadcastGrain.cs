namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>Sends a message to every connected user of the cluster (key: <see cref="Streams.StreamNames.AllKey"/>).</summary>
public interface IBroadcastGrain : IGrainWithStringKey
{
    /// <summary>Publishes <paramref name="data"/> (JSON text) once on the broadcast stream; every front writes it to all its sockets.</summary>
    Task<BroadcastMessage> Broadcast(string data);
}
