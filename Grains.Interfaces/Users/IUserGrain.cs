using Orleans.Concurrency;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Interfaces.Users;

/// <summary>
/// One user (key: user id): open connections on every front, presence, and a bounded persisted inbox of direct
/// messages with a gap-free seq. Other services call <see cref="SendDirect"/> to reach a user.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a direct message in the inbox, then pushes it to every open connection. Answers after the write. A
    /// sender whose messages already hold their share of the inbox's bytes is refused (<see cref="SendResult.InboxFull"/>).
    /// Sends interleave with each other and with the user's other calls: the inbox writes the messages that arrive
    /// during a write together in the next one (group commit), with gap-free seqs in arrival order.
    /// </summary>
    /// <exception cref="BusyException">when too many messages wait for their write (<c>WRITE_QUEUE_LIMIT</c>); retry with the same id.</exception>
    [AlwaysInterleave]
    Task<SendResult> SendDirect(OutgoingMessage message);

    /// <summary>
    /// Sends several direct messages (a socket's pipelined <c>send</c> frames) as consecutive <see cref="SendDirect"/>
    /// calls would, in one call: each checked on its own (a duplicate answers its first seq, a sender past its share
    /// gets <see cref="SendResult.InboxFull"/>), the others stored in this order by one write, and answered in this order.
    /// </summary>
    /// <exception cref="BusyException">when too many messages wait for their write already; none was stored.</exception>
    [AlwaysInterleave]
    Task<IReadOnlyList<SendResult>> SendDirectMany(IReadOnlyList<OutgoingMessage> messages);

    /// <summary>One page of the inbox, cut by the request's limit and bytes (the one read of the inbox).</summary>
    [ReadOnly]
    Task<MessagePage> Inbox(PageRequest request);

    [ReadOnly]
    Task<PresenceInfo> Presence();

    /// <summary>
    /// Holds a place for a connection a front is about to accept, when the user's connections and held places in the
    /// whole cluster are fewer than <paramref name="max"/>; false otherwise. Called before the WebSocket upgrade, so
    /// that a refusal can still be an HTTP answer. <see cref="Connect"/> turns the place into the connection,
    /// <see cref="Disconnect"/> gives it back, and it lapses by itself after a minute (a front that died in between).
    /// </summary>
    Task<bool> Reserve(string connectionId, int max);

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

    /// <summary>Forgets a closed connection (or the place <see cref="Reserve"/> held for it); the user goes offline when it was the last one.</summary>
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
