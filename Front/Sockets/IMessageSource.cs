using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Sockets;

/// <summary>Where a <see cref="MessageFeed"/> reads what did not reach it: a room's history, or a user's inbox.</summary>
internal interface IMessageSource
{
    /// <summary>Up to <paramref name="limit"/> kept messages with seqs from <paramref name="from"/> on, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> ReadAsync(long from, int limit);

    /// <summary>The latest seq of the stream. Asking also renews this front's registration there.</summary>
    Task<long> PositionAsync();
}
