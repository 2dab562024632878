using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>A room's history as a <see cref="MessageFeed"/> reads it, and its latest seq.</summary>
internal sealed class RoomMessageSource(FrontNode front, string room) : IMessageSource
{
    // The history answers the messages below `before`: [from, from + limit) is one page read forward.
    public Task<IReadOnlyList<ChatMessage>> ReadAsync(long from, int limit) => front.Room(room).History(before: from + limit, limit);

    public Task<long> PositionAsync() => front.SubscribeAsync(room);
}
