namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Which local sockets are in which room, both ways, with reference counts: the first local socket in a room makes the
/// front subscribe at the room grain, the last one leaving makes it unsubscribe. Each room has one
/// <see cref="MessageFeed"/>, created with its first socket and ended with its last; socket changes are queued on the
/// feed in order with its messages.
/// </summary>
internal sealed class RoomMembership(Func<string, MessageFeed> newRoomFeed)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<SocketConnection, HashSet<string>> _roomsOf = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rooms.Count;
            }
        }
    }

    /// <summary>Whether the socket may join <paramref name="room"/>: it is in it already, or in fewer than <paramref name="maxRooms"/>.</summary>
    public bool MayJoin(SocketConnection socket, string room, int maxRooms)
    {
        lock (_lock)
        {
            return !_roomsOf.TryGetValue(socket, out var rooms) || rooms.Count < maxRooms || rooms.Contains(room);
        }
    }

    /// <summary>Marks the socket as joining; true when it is the first local socket of the room (subscribe at the grain).</summary>
    public bool BeginJoin(SocketConnection socket, string room)
    {
        var first = false;
        Room? entry;
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out entry))
            {
                _rooms[room] = entry = new Room(newRoomFeed(room));
                first = true;
            }

            if (entry.Sockets.Add(socket))
            {
                RoomsOfLocked(socket).Add(room);
                entry.Feed.Queue(g => g.AddPending(socket));
            }
        }

        entry.Feed.Write();
        return first;
    }

    /// <summary>Takes the socket out of the room; true when no local socket is left in it (unsubscribe at the grain).</summary>
    public bool Leave(SocketConnection socket, string room)
    {
        var touched = new List<MessageFeed>(1);
        bool emptied;
        lock (_lock)
        {
            emptied = RemoveLocked(socket, room, farewell: null, touched);
        }

        touched.ForEach(f => f.Write());
        return emptied;
    }

    /// <summary>Takes the socket out of all its rooms; returns those in which it was this front's last socket.</summary>
    public List<string> LeaveAll(SocketConnection socket)
    {
        var touched = new List<MessageFeed>();
        var emptied = new List<string>();
        lock (_lock)
        {
            if (_roomsOf.TryGetValue(socket, out var rooms))
            {
                foreach (var room in rooms.ToList())
                {
                    if (RemoveLocked(socket, room, farewell: null, touched))
                    {
                        emptied.Add(room);
                    }
                }
            }
        }

        touched.ForEach(f => f.Write());
        return emptied;
    }

    /// <summary>Takes every local socket of the room that <paramref name="revoked"/> names out of it, each with <paramref name="farewell"/>; true when the room emptied.</summary>
    public bool Revoke(string room, Func<SocketConnection, bool> revoked, byte[] farewell)
    {
        var touched = new List<MessageFeed>(1);
        var emptied = false;
        lock (_lock)
        {
            if (_rooms.TryGetValue(room, out var entry))
            {
                foreach (var socket in entry.Sockets.Where(revoked).ToList())
                {
                    emptied |= RemoveLocked(socket, room, farewell, touched);
                }
            }
        }

        touched.ForEach(f => f.Write());
        return emptied;
    }

    /// <summary>Whether the socket is in the room here (its session handles frames in order, so after its join this holds).</summary>
    public bool Contains(SocketConnection socket, string room)
    {
        lock (_lock)
        {
            return _roomsOf.TryGetValue(socket, out var rooms) && rooms.Contains(room);
        }
    }

    /// <summary>The rooms the socket is in here.</summary>
    public List<string> RoomsOf(SocketConnection socket)
    {
        lock (_lock)
        {
            return _roomsOf.TryGetValue(socket, out var rooms) ? [.. rooms] : [];
        }
    }

    public List<string> Rooms()
    {
        lock (_lock)
        {
            return [.. _rooms.Keys];
        }
    }

    public MessageFeed? Feed(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var entry) ? entry.Feed : null;
        }
    }

    public List<MessageFeed> Feeds()
    {
        lock (_lock)
        {
            return _rooms.Values.Select(r => r.Feed).ToList();
        }
    }

    private HashSet<string> RoomsOfLocked(SocketConnection socket)
    {
        if (!_roomsOf.TryGetValue(socket, out var rooms))
        {
            _roomsOf[socket] = rooms = new HashSet<string>(StringComparer.Ordinal);
        }

        return rooms;
    }

    /// <summary>Queues the socket's removal on the room's feed (added to <paramref name="touched"/>, to be written after the lock).</summary>
    private bool RemoveLocked(SocketConnection socket, string room, byte[]? farewell, List<MessageFeed> touched)
    {
        if (_roomsOf.TryGetValue(socket, out var rooms) && rooms.Remove(room) && rooms.Count == 0)
        {
            _roomsOf.Remove(socket);
        }

        if (!_rooms.TryGetValue(room, out var entry) || !entry.Sockets.Remove(socket))
        {
            return false;
        }

        entry.Feed.Queue(g => g.Remove(socket, farewell));
        touched.Add(entry.Feed);
        if (entry.Sockets.Count > 0)
        {
            return false;
        }

        _rooms.Remove(room);
        entry.Feed.Dispose();
        return true;
    }

    private sealed record Room(MessageFeed Feed)
    {
        public HashSet<SocketConnection> Sockets { get; } = [];
    }
}
