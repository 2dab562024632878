using Orleans.Concurrency;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>
/// One room (key: room id), created on first use: members, an optional access list, a gap-free seq, a bounded
/// persisted history, de-duplication of client ids, and one push per subscribed front for each accepted message.
/// </summary>
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a message in the history, then delivers it. Answers after the write; a client id the room already
    /// accepted from the same sender answers the original seq with <see cref="SendResult.Duplicate"/> and delivers nothing.
    /// Posts interleave with each other and with the room's other calls: the room writes the posts that arrive during a
    /// write together in the next one (group commit), with gap-free seqs in arrival order.
    /// </summary>
    /// <param name="senderIsStaff">Agents and admins may post in rooms whose member list does not name them.</param>
    /// <returns>null when the room has a member list that does not admit the sender.</returns>
    /// <exception cref="BusyException">when too many posts wait for their write (<c>WRITE_QUEUE_LIMIT</c>); retry with the same id.</exception>
    [AlwaysInterleave]
    Task<SendResult?> Post(OutgoingMessage message, bool senderIsStaff);

    /// <summary>
    /// Posts several messages of one sender (a socket's pipelined <c>send</c> frames) as consecutive
    /// <see cref="Post"/> calls would, in one call: stored in this order with consecutive seqs (a duplicate answers its first
    /// seq), and answered in this order. The room admits or refuses them together.
    /// </summary>
    /// <returns>One answer per message, in order; null when the room has a member list that does not admit the sender.</returns>
    /// <exception cref="BusyException">when too many posts wait for their write already; none was stored.</exception>
    /// <remarks>
    /// The batch's new messages are queued together, so one write stores them all: when it fails, none is stored and the
    /// call fails; sending them again with the same ids is safe.
    /// </remarks>
    [AlwaysInterleave]
    Task<IReadOnlyList<SendResult>?> PostMany(IReadOnlyList<OutgoingMessage> messages, bool senderIsStaff);

    /// <summary>
    /// Adds <paramref name="userId"/> to the members (when admitted) and, when <paramref name="replay"/> is given (a
    /// forward page after the client's <c>since</c>), replays that page of the history.
    /// A new member counts as online (it joins from a connected socket) until its user grain reports its presence.
    /// </summary>
    Task<JoinResult> Join(string userId, bool isStaff, PageRequest? replay);

    /// <summary>Removes <paramref name="userId"/> from the members.</summary>
    Task Leave(string userId);

    /// <summary>One page of the history, cut by the request's limit and bytes (the one read of the history).</summary>
    [ReadOnly]
    Task<MessagePage> History(PageRequest request);

    /// <summary>
    /// The members and whether each is online, from the presence the room tracks (<see cref="MemberPresenceChanged"/>):
    /// no call per member, except once after each activation, when the room asks every member.
    /// </summary>
    Task<IReadOnlyList<MemberPresence>> Presence();

    /// <summary>Whether <paramref name="userId"/> may enter (open room, listed member, or staff).</summary>
    [ReadOnly]
    Task<bool> Admits(string userId, bool isStaff);

    /// <summary>
    /// Puts the user on the room's member list; a room with a member list admits only those members plus staff. When
    /// this makes an open room private, everyone else is revoked as by <see cref="RemoveMember"/>: taken off the
    /// members (and so presence), and their sockets leave the room on every front.
    /// </summary>
    Task AllowMember(string userId);

    /// <summary>Takes the user off the member list (the room stays private); its sockets leave the room.</summary>
    Task RemoveMember(string userId);

    /// <summary>
    /// A member went online or offline (or, just after it joined, its current presence): the room records it and tells
    /// its fronts (<c>event</c> frames) when that changes what the room knew.
    /// </summary>
    [OneWay]
    Task MemberPresenceChanged(string userId, bool online);

    /// <summary>
    /// Registers (or renews) <paramref name="front"/> as a receiver of the room's messages for <paramref name="lease"/>.
    /// Answers the room's latest seq, so that a front finds messages whose pushes it missed.
    /// </summary>
    [AlwaysInterleave]
    Task<long> Subscribe(string frontId, IFrontObserver front, TimeSpan lease);

    /// <summary>Stops pushing to the front (it has no socket left in the room).</summary>
    [AlwaysInterleave]
    Task Unsubscribe(string frontId);

    /// <summary>
    /// The user is typing: the room tells the other members' sockets (<c>typing</c> frames), at most once per user per
    /// second; nothing is stored. Callers check membership (the front: the socket joined the room).
    /// </summary>
    [OneWay, AlwaysInterleave]
    Task Typing(string userId);

    /// <summary>
    /// Moves the member's read cursor forward to <paramref name="seq"/> (capped at the room's latest seq; a lower seq
    /// changes nothing) and, when it moved, tells the members' sockets except <paramref name="originConnection"/>
    /// (<c>receipt</c> frames). Cursors are written to storage within a second, not on every call.
    /// </summary>
    /// <returns>The member's cursor after the call, or null when <paramref name="userId"/> is not a member.</returns>
    Task<long?> MarkRead(string userId, long seq, string? originConnection);

    /// <summary>The read cursor of each member who has read something.</summary>
    [ReadOnly]
    Task<IReadOnlyList<ReadCursor>> Readers();

    /// <summary>The room as <paramref name="userId"/>'s conversation list shows it: latest seq, unread count, last message.</summary>
    [ReadOnly]
    Task<RoomSummary> Summary(string userId);
}
