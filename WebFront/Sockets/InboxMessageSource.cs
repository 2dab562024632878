using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>A user's inbox as a <see cref="MessageFeed"/> reads it, and its latest seq.</summary>
internal sealed class InboxMessageSource(FrontNode front, ConnectionRegistry registry, string userId, int maxBytes) : IMessageSource
{
    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(long from, int limit) =>
        (await front.User(userId).Inbox(PageRequest.After(from - 1, limit, maxBytes))).Messages;

    /// <summary>Registers the user's sockets here again, which answers the inbox's latest seq.</summary>
    public async Task<long> PositionAsync()
    {
        var connections = registry.ConnectionIds(userId);
        return connections.Count == 0 ? 0 : (await front.ConnectAsync(userId, connections)).InboxSeq;
    }
}
