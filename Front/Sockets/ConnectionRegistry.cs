using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The front's sockets, as the rest of the front sees them. Made of parts with one job each: admission
/// (<see cref="SocketAdmission"/>), the socket and user index with each user's inbox feed (<see cref="SocketIndex"/>),
/// and room membership with each room's feed (<see cref="RoomMembership"/>). Every delivery is serialized once and
/// written outside these parts' locks, by the feed of its room or user (<see cref="MessageFeed"/>), in seq order.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly SocketAdmission _admission = new();
    private readonly SocketIndex _index;
    private readonly RoomMembership _rooms;

    /// <param name="sources">The front that reads gaps from the grains; asked for when the first feed needs it.</param>
    public ConnectionRegistry(Func<IMessageSources> sources, TimeProvider time, SequencerTiming timing, ILogger<ConnectionRegistry> logger)
    {
        _index = new SocketIndex(user => new MessageFeed("inbox of " + user, sources().InboxSource(user), ServerFrames.InboxResync(), time, timing, logger));
        _rooms = new RoomMembership(room => new MessageFeed("room " + room, sources().RoomSource(room), ServerFrames.RoomResync(room), time, timing, logger));
    }

    public int Count => _index.Count;

    public int ActiveRooms => _rooms.Count;

    /// <summary>Takes one of <paramref name="max"/> places for a socket about to be accepted; false when the front is full.</summary>
    public bool TryReserve(int max) => _admission.TryReserve(max);

    public void Release() => _admission.Release();

    public void Add(SocketConnection socket) => _index.Add(socket);

    /// <summary>Forgets the socket everywhere; returns the rooms in which it was this front's last socket.</summary>
    public List<string> Remove(SocketConnection socket)
    {
        _index.Remove(socket);
        return _rooms.LeaveAll(socket);
    }

    public List<SocketConnection> All() => _index.All();

    /// <summary>Each local user with the ids of its sockets here, for lease renewal.</summary>
    public List<(string UserId, List<string> ConnectionIds)> Users() => _index.Users();

    public List<string> Rooms() => _rooms.Rooms();

    /// <summary>Whether the socket joined the room (a session's later frames see its join done).</summary>
    public bool IsInRoom(SocketConnection socket, string room) => _rooms.Contains(socket, room);

    /// <summary>The rooms the socket joined (or is joining) on this front.</summary>
    public List<string> RoomsOf(SocketConnection socket) => _rooms.RoomsOf(socket);

    /// <summary>Whether the socket may join <paramref name="room"/>: it is in it already, or in fewer than <paramref name="maxRooms"/>.</summary>
    public bool MayJoin(SocketConnection socket, string room, int maxRooms) => _rooms.MayJoin(socket, room, maxRooms);

    /// <summary>Marks the socket as joining; true when it is the first local socket of the room (subscribe at the grain).</summary>
    public bool BeginJoin(SocketConnection socket, string room) => _rooms.BeginJoin(socket, room);

    /// <summary>
    /// Queues <c>joined</c>, then the live messages newer than <paramref name="seq"/>. False when the room's feed here
    /// started after <paramref name="seq"/> and cannot serve the socket from it: the join should be asked again.
    /// </summary>
    public bool CompleteJoin(SocketConnection socket, string room, byte[] joined, long seq) =>
        _rooms.Feed(room)?.Join(socket, joined, seq) ?? true;

    /// <summary>Takes the socket out of the room; true when no local socket is left in it (unsubscribe at the grain).</summary>
    public bool Leave(SocketConnection socket, string room) => _rooms.Leave(socket, room);

    /// <summary>A direct message: the recipient's own copy in inbox order, a sender's copy (to its other sockets) as it comes.</summary>
    public void DeliverDirect(string userId, ChatMessage message, string? exceptConnection)
    {
        if (_index.InboxFeed(userId) is not { } feed)
        {
            return;
        }

        if (message.To == userId)
        {
            feed.Accept(message, exceptConnection);
        }
        else
        {
            var frame = ServerFrames.Message(message);
            feed.Change(g => g.SendUnordered(frame, exceptConnection, message.Ts));
        }
    }

    /// <summary>Writes a push of room messages (one room's) to the local sockets of the room in seq order (held while an earlier one is missing).</summary>
    public void DeliverRoom(IReadOnlyList<PushedMessage> messages)
    {
        if (messages.Count > 0 && messages[0].Message.Room is { } room)
        {
            _rooms.Feed(room)?.Accept(messages);
        }
    }

    public void DeliverRoomEvent(string room, string kind, string userId)
    {
        if (_rooms.Feed(room) is { } feed)
        {
            var frame = ServerFrames.Event(kind, room, userId);
            feed.Change(g => g.SendUnordered(frame, null, acceptedAt: null));
        }
    }

    /// <summary>Writes an unnumbered room frame (typing, receipt) to the sockets in the room, except those named; a socket whose join is on its way gets it after its <c>joined</c>.</summary>
    public void DeliverToRoom(string room, byte[] frame, string? exceptUser, string? exceptConnection) =>
        _rooms.Feed(room)?.Change(g => g.SendToEveryone(frame, s => s.UserId != exceptUser && s.Id != exceptConnection));

    /// <summary>One frame to every local socket (a broadcast): serialized once, written to a snapshot of the sockets.</summary>
    public void DeliverAll(byte[] frame)
    {
        foreach (var socket in _index.All())
        {
            socket.Send(frame);
        }
    }

    /// <summary>Takes every local socket of the room that <paramref name="revoked"/> names out of it and tells it with <c>left</c>; true when the room emptied.</summary>
    public bool Revoke(string room, Func<SocketConnection, bool> revoked) => _rooms.Revoke(room, revoked, ServerFrames.Left(room));

    /// <summary>The room has reached <paramref name="seq"/> (its position, or an ack seen here): what did not arrive is a gap.</summary>
    public void RoomReached(string room, long seq) => _rooms.Feed(room)?.Expect(seq);

    /// <summary>
    /// The user's inbox is at <paramref name="seq"/> (the answer to registering its connections): the first answer starts
    /// the user's inbox feed here, a later one shows what did not arrive. Returns the seq after which the user's sockets
    /// here get every direct message (see <see cref="MessageFeed.StartAt"/>): what a new socket's <c>welcome</c> says.
    /// </summary>
    public long InboxReached(string userId, long seq) => _index.InboxFeed(userId)?.StartAt(seq) ?? seq;

    /// <summary>Asks every room and inbox with local sockets for its position (pushes may have been lost with a gateway).</summary>
    public void CheckAllPositions()
    {
        foreach (var feed in _rooms.Feeds().Concat(_index.InboxFeeds()))
        {
            feed.CheckPositionUntilAnswered();
        }
    }
}
