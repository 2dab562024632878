using Orleans.Concurrency;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Interfaces.Users;

/// <summary>
/// One user (key: user id): open connections on every front, presence, and a bounded persisted inbox of direct
/// messages with a gap-free seq. Other services call <see cref="SendDirect"/> to reach a user.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Stores a direct message in the inbox, then pushes it to every open connection. Answers after the write.</summary>
    Task<SendResult> SendDirect(OutgoingMessage message);

    /// <summary>Direct messages with a seq above <paramref name="since"/>, oldest first, at most <paramref name="limit"/>.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ChatMessage>> Inbox(long since, int limit);

    [ReadOnly]
    Task<PresenceInfo> Presence();

    /// <summary>
    /// Registers (or renews) the connections <paramref name="connectionIds"/> held by <paramref name="frontId"/>;
    /// they expire after <paramref name="lease"/> unless renewed, so a front that dies does not leave the user online.
    /// </summary>
    Task<ConnectResult> Connect(string frontId, IFrontObserver front, IReadOnlyList<string> connectionIds, TimeSpan lease);

    /// <summary>
    /// Pushes a direct message this user sent to its own connections (other tabs and devices), except the one that
    /// sent it. Nothing is stored: the message lives in the recipient's inbox.
    /// </summary>
    [OneWay]
    Task Echo(ChatMessage message, string? exceptConnection);

    /// <summary>Forgets a closed connection; the user goes offline when it was the last one.</summary>
    Task Disconnect(string frontId, string connectionId);
}
