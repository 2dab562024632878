using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// The sockets this front holds, by connection, by user and by room. Rooms are reference-counted: the first local
/// socket in a room makes the front subscribe at the room grain, the last one leaving makes it unsubscribe. Every
/// delivery is serialized once and the same buffer is queued on each local socket.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SocketConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SocketConnection>> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomSockets> _rooms = new(StringComparer.Ordinal);
    private int _reserved;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    public int ActiveRooms
    {
        get
        {
            lock (_lock)
            {
                return _rooms.Count;
            }
        }
    }

    /// <summary>Takes one of <paramref name="max"/> places for a socket about to be accepted; false when the front is full.</summary>
    public bool TryReserve(int max)
    {
        while (true)
        {
            var current = Volatile.Read(ref _reserved);
            if (current >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release() => Interlocked.Decrement(ref _reserved);

    public void Add(SocketConnection socket)
    {
        lock (_lock)
        {
            _connections[socket.Id] = socket;
            if (!_users.TryGetValue(socket.UserId, out var list))
            {
                _users[socket.UserId] = list = [];
            }

            list.Add(socket);
        }
    }

    /// <summary>Forgets the socket everywhere; returns the rooms in which it was this front's last socket.</summary>
    public List<string> Remove(SocketConnection socket)
    {
        lock (_lock)
        {
            _connections.Remove(socket.Id);
            if (_users.TryGetValue(socket.UserId, out var list) && list.Remove(socket) && list.Count == 0)
            {
                _users.Remove(socket.UserId);
            }

            var emptied = new List<string>();
            foreach (var room in socket.Rooms)
            {
                if (RemoveFromRoomLocked(socket, room))
                {
                    emptied.Add(room);
                }
            }

            socket.Rooms.Clear();
            return emptied;
        }
    }

    public List<SocketConnection> All()
    {
        lock (_lock)
        {
            return [.. _connections.Values];
        }
    }

    /// <summary>Each local user with the ids of its sockets here, for lease renewal.</summary>
    public List<(string UserId, List<string> ConnectionIds)> Users()
    {
        lock (_lock)
        {
            return _users.Select(u => (u.Key, u.Value.Select(c => c.Id).ToList())).ToList();
        }
    }

    public List<string> Rooms()
    {
        lock (_lock)
        {
            return [.. _rooms.Keys];
        }
    }

    /// <summary>Whether the socket may join <paramref name="room"/>: it is in it already, or in fewer than <paramref name="maxRooms"/>.</summary>
    public bool MayJoin(SocketConnection socket, string room, int maxRooms)
    {
        lock (_lock)
        {
            return socket.Rooms.Count < maxRooms || socket.Rooms.Contains(room);
        }
    }

    /// <summary>Marks the socket as joining; true when it is the first local socket of the room (subscribe at the grain).</summary>
    public bool BeginJoin(SocketConnection socket, string room)
    {
        lock (_lock)
        {
            var first = false;
            if (!_rooms.TryGetValue(room, out var sockets))
            {
                _rooms[room] = sockets = new RoomSockets();
                first = true;
            }

            if (!sockets.Contains(socket))
            {
                sockets.Pending[socket] = [];
                socket.Rooms.Add(room);
            }

            return first;
        }
    }

    /// <summary>
    /// Queues <c>joined</c>, then the live messages that came in meanwhile and are newer than <paramref name="seq"/>.
    /// True when held messages now wait for a gap to be filled (<see cref="MissingRange"/>).
    /// </summary>
    public bool CompleteJoin(SocketConnection socket, string room, byte[] joined, long seq)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var sockets))
            {
                return false;
            }

            if (sockets.Pending.Remove(socket, out var waiting))
            {
                sockets.Joined.Add(socket);
                socket.Send(joined);
                foreach (var (messageSeq, frame) in waiting)
                {
                    if (messageSeq > seq)
                    {
                        socket.Send(frame);
                    }
                }
            }
            else if (sockets.Joined.Contains(socket))
            {
                socket.Send(joined);
            }

            sockets.LastSeq = sockets.HasBaseline ? Math.Max(sockets.LastSeq, seq) : seq;
            sockets.HasBaseline = true;
            FlushAheadLocked(sockets);
            if (sockets.Ahead.Count == 0 || sockets.GapFillScheduled)
            {
                return false;
            }

            sockets.GapFillScheduled = true;
            return true;
        }
    }

    /// <summary>Takes the socket out of the room; true when no local socket is left in it (unsubscribe at the grain).</summary>
    public bool Leave(SocketConnection socket, string room)
    {
        lock (_lock)
        {
            socket.Rooms.Remove(room);
            return RemoveFromRoomLocked(socket, room);
        }
    }

    public bool IsInRoom(SocketConnection socket, string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var sockets) && sockets.Joined.Contains(socket);
        }
    }

    public void DeliverDirect(string userId, ChatMessage message, string? exceptConnection)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var sockets))
            {
                return;
            }

            var frame = ServerFrames.Message(message);
            foreach (var socket in sockets)
            {
                if (socket.Id != exceptConnection)
                {
                    socket.Send(frame, message.Ts);
                }
            }
        }
    }

    /// <summary>
    /// Writes a room message to the local sockets in seq order. A message that arrives ahead of a missing seq is held;
    /// the answer is true when the caller should make sure the gap gets filled (<see cref="MissingRange"/>).
    /// </summary>
    public bool DeliverRoom(ChatMessage message, string? exceptConnection)
    {
        lock (_lock)
        {
            if (message.Room is null || !_rooms.TryGetValue(message.Room, out var sockets) || message.Seq <= sockets.LastSeq)
            {
                return false;
            }

            if (!sockets.HasBaseline)
            {
                // No join has completed yet, so the next seq is not known: hold everything until it is.
                sockets.Ahead.TryAdd(message.Seq, (message, exceptConnection));
                return false;
            }

            if (message.Seq > sockets.LastSeq + 1)
            {
                sockets.Ahead.TryAdd(message.Seq, (message, exceptConnection));
                var schedule = !sockets.GapFillScheduled;
                sockets.GapFillScheduled = true;
                return schedule;
            }

            WriteRoomLocked(sockets, message, exceptConnection);
            FlushAheadLocked(sockets);
            return false;
        }
    }

    /// <summary>The seqs still missing before the first held message of <paramref name="room"/>, or null when none are.</summary>
    public (long From, long To)? MissingRange(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var sockets) && sockets.Ahead.Count > 0
                ? (sockets.LastSeq + 1, sockets.Ahead.Keys.First() - 1)
                : null;
        }
    }

    /// <summary>Gives up on the seqs up to <paramref name="upTo"/> (no longer in history) and writes what was held after them.</summary>
    public void SkipGap(string room, long upTo)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var sockets))
            {
                return;
            }

            sockets.GapFillScheduled = false;
            sockets.LastSeq = Math.Max(sockets.LastSeq, upTo);
            FlushAheadLocked(sockets);
        }
    }

    private static void WriteRoomLocked(RoomSockets sockets, ChatMessage message, string? exceptConnection)
    {
        sockets.LastSeq = message.Seq;
        var frame = ServerFrames.Message(message);
        foreach (var socket in sockets.Joined)
        {
            if (socket.Id != exceptConnection)
            {
                socket.Send(frame, message.Ts);
            }
        }

        foreach (var (socket, waiting) in sockets.Pending)
        {
            if (socket.Id != exceptConnection)
            {
                waiting.Add((message.Seq, frame));
            }
        }
    }

    /// <summary>Writes the held messages that now follow on without a gap, and drops those already covered.</summary>
    private static void FlushAheadLocked(RoomSockets sockets)
    {
        while (sockets.Ahead.Count > 0)
        {
            var (seq, (message, except)) = sockets.Ahead.First();
            if (seq > sockets.LastSeq + 1)
            {
                return;
            }

            sockets.Ahead.Remove(seq);
            if (seq == sockets.LastSeq + 1)
            {
                WriteRoomLocked(sockets, message, except);
            }
        }

        sockets.GapFillScheduled = false;
    }

    public void DeliverRoomEvent(string room, string kind, string userId)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var sockets))
            {
                return;
            }

            var frame = ServerFrames.Event(kind, room, userId);
            sockets.Joined.ForEach(s => s.Send(frame));
        }
    }

    /// <summary>Writes an unnumbered room frame (typing, receipt) to the sockets that joined the room, except those named.</summary>
    public void DeliverToRoom(string room, byte[] frame, string? exceptUser, string? exceptConnection)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var sockets))
            {
                return;
            }

            foreach (var socket in sockets.Joined)
            {
                if (socket.UserId != exceptUser && socket.Id != exceptConnection)
                {
                    socket.Send(frame);
                }
            }

            // A socket whose join is on its way gets it after its `joined` (whose readers may predate this receipt);
            // the highest seq lets it through whatever seq the join answers with.
            foreach (var (socket, waiting) in sockets.Pending)
            {
                if (socket.UserId != exceptUser && socket.Id != exceptConnection)
                {
                    waiting.Add((long.MaxValue, frame));
                }
            }
        }
    }

    public void DeliverAll(byte[] frame)
    {
        lock (_lock)
        {
            foreach (var socket in _connections.Values)
            {
                socket.Send(frame);
            }
        }
    }

    /// <summary>Takes every local socket of the room that <paramref name="revoked"/> names out of it and tells it with <c>left</c>; true when the room emptied.</summary>
    public bool Revoke(string room, Func<SocketConnection, bool> revoked)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var sockets))
            {
                return false;
            }

            var frame = ServerFrames.Left(room);
            foreach (var socket in sockets.Joined.Concat(sockets.Pending.Keys).Where(revoked).ToList())
            {
                socket.Rooms.Remove(room);
                RemoveFromRoomLocked(socket, room);
                socket.Send(frame);
            }

            return !_rooms.ContainsKey(room);
        }
    }

    private bool RemoveFromRoomLocked(SocketConnection socket, string room)
    {
        if (!_rooms.TryGetValue(room, out var sockets))
        {
            return false;
        }

        sockets.Joined.Remove(socket);
        sockets.Pending.Remove(socket);
        if (sockets.IsEmpty)
        {
            _rooms.Remove(room);
            return true;
        }

        return false;
    }
}
