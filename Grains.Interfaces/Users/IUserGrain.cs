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
    /// Registers the connections <paramref name="connectionIds"/> held by <paramref name="frontId"/> (again, after a
    /// resync: registering a known connection changes nothing). They last until closed or until the front's lease
    /// (<see cref="IFrontLeaseGrain"/>) ends, so a front that dies does not leave the user online.
    /// </summary>
    Task<ConnectResult> Connect(string frontId, IFrontObserver front, IReadOnlyList<string> connectionIds);

    /// <summary>
    /// Pushes a direct message this user sent to its own connections (other tabs and devices), except the one that
    /// sent it. Nothing is stored: the message lives in the recipient's inbox.
    /// </summary>
    [OneWay]
    Task Echo(ChatMessage message, string? exceptConnection);

    /// <summary>
    /// Called by a room when the user joins (<paramref name="member"/> true) or leaves it, so that the user's
    /// <c>user_online</c> / <c>user_offline</c> reach the rooms it is in. A room newly tracked hears the user's
    /// current presence at once.
    /// </summary>
    [OneWay]
    Task TrackRoom(string room, bool member);

    /// <summary>Forgets a closed connection; the user goes offline when it was the last one.</summary>
    Task Disconnect(string frontId, string connectionId);

    /// <summary>
    /// Called by the front's lease grain when the front stopped renewing its lease: forgets the front's connections,
    /// and the user goes offline when they were the last ones.
    /// </summary>
    [OneWay]
    Task FrontGone(string frontId);

    /// <summary>The rooms the user is a member of (joined and not left; at most 1,000 are tracked).</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> Rooms();
}
