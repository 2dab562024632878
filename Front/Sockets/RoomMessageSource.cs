using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Sockets;

/// <summary>A room's history as a <see cref="MessageFeed"/> reads it, and its latest seq.</summary>
internal sealed class RoomMessageSource(FrontNode front, string room, int maxBytes) : IMessageSource
{
    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(long from, int limit) =>
        (await front.Room(room).History(PageRequest.After(from - 1, limit, maxBytes))).Messages;

    public Task<long> PositionAsync() => front.SubscribeAsync(room);
}
