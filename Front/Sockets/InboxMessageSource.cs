using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Sockets;

/// <summary>A user's inbox as a <see cref="MessageFeed"/> reads it, and its latest seq.</summary>
internal sealed class InboxMessageSource(FrontNode front, string userId, int maxBytes) : IMessageSource
{
    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(long from, int limit) =>
        (await front.User(userId).Inbox(PageRequest.After(from - 1, limit, maxBytes))).Messages;

    /// <summary>The newest message's seq: one read-only call (the user's registrations are persisted with its grain).</summary>
    public async Task<long> PositionAsync()
    {
        var newest = (await front.User(userId).Inbox(PageRequest.Before(null, 1, 1))).Messages;
        return newest.Count > 0 ? newest[^1].Seq : 0;
    }
}
