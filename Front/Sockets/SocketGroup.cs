namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The local sockets one <see cref="OrderedFanout"/> writes to (a room's, or a user's), touched only by the fanout's
/// one writer at a time. A socket whose join is on its way to the room grain is pending: what is written for it waits,
/// so that <c>joined</c> comes first, and then only what is newer than its join follows. A joined socket has a floor,
/// the seq it joined at: it never gets a seq at or below it live (its <c>joined</c> had those).
/// </summary>
internal sealed class SocketGroup
{
    private readonly List<Member> _joined = [];
    private readonly Dictionary<SocketConnection, List<(long Seq, byte[] Frame, string? Except, DateTimeOffset? AcceptedAt)>> _pending = [];

    /// <summary>Adds a socket that gets everything from now on (a user's socket: its <c>welcome</c> orders the rest).</summary>
    public void Add(SocketConnection socket)
    {
        if (IndexOf(socket) < 0)
        {
            _joined.Add(new Member(socket, 0));
        }
    }

    /// <summary>Adds a socket whose join is under way; from now on its frames wait for <see cref="Join"/>.</summary>
    public void AddPending(SocketConnection socket)
    {
        if (IndexOf(socket) < 0)
        {
            _pending.TryAdd(socket, []);
        }
    }

    /// <summary>Sends <c>joined</c>, then what waited for the socket that is newer than <paramref name="seq"/>.</summary>
    public void Join(SocketConnection socket, byte[] joined, long seq)
    {
        if (_pending.Remove(socket, out var waiting))
        {
            socket.Send(joined);
            foreach (var (waitingSeq, frame, except, acceptedAt) in waiting)
            {
                if (waitingSeq > seq && except != socket.Id)
                {
                    Send(socket, frame, acceptedAt);
                }
            }

            _joined.Add(new Member(socket, seq));
        }
        else if (IndexOf(socket) is var index and >= 0)
        {
            // Joined again: the new answer, and nothing live it already had.
            socket.Send(joined);
            _joined[index] = _joined[index] with { Floor = Math.Max(_joined[index].Floor, seq) };
        }
    }

    /// <summary>Takes the socket out; <paramref name="farewell"/> (a <c>left</c> frame) is its last frame from this group.</summary>
    public void Remove(SocketConnection socket, byte[]? farewell)
    {
        var removed = _pending.Remove(socket);
        if (IndexOf(socket) is var index and >= 0)
        {
            _joined.RemoveAt(index);
            removed = true;
        }

        if (removed && farewell is not null)
        {
            socket.Send(farewell);
        }
    }

    /// <summary>
    /// A frame that belongs at <paramref name="seq"/>: to every joined socket above its floor, and kept for the pending ones.
    /// <paramref name="acceptedAt"/> is when the grain accepted the message it carries (null for frames that carry none).
    /// </summary>
    public void Send(long seq, byte[] frame, string? except, DateTimeOffset? acceptedAt)
    {
        foreach (var member in _joined)
        {
            if (seq > member.Floor && member.Socket.Id != except)
            {
                Send(member.Socket, frame, acceptedAt);
            }
        }

        foreach (var waiting in _pending.Values)
        {
            waiting.Add((seq, frame, except, acceptedAt));
        }
    }

    /// <summary>A frame outside the seq order (an event, a copy of a user's own direct message): joined sockets only.</summary>
    public void SendUnordered(byte[] frame, string? except, DateTimeOffset? acceptedAt)
    {
        foreach (var member in _joined)
        {
            if (member.Socket.Id != except)
            {
                Send(member.Socket, frame, acceptedAt);
            }
        }
    }

    /// <summary>
    /// A frame outside the seq order for every socket <paramref name="include"/> names, pending ones too: those get it
    /// after their <c>joined</c>, whatever seq the join answers with.
    /// </summary>
    public void SendToEveryone(byte[] frame, Func<SocketConnection, bool> include)
    {
        foreach (var member in _joined)
        {
            if (include(member.Socket))
            {
                member.Socket.Send(frame);
            }
        }

        foreach (var (socket, waiting) in _pending)
        {
            if (include(socket))
            {
                waiting.Add((long.MaxValue, frame, null, null));
            }
        }
    }

    private static void Send(SocketConnection socket, byte[] frame, DateTimeOffset? acceptedAt)
    {
        if (acceptedAt is { } at)
        {
            socket.Send(frame, at);
        }
        else
        {
            socket.Send(frame);
        }
    }

    private int IndexOf(SocketConnection socket) => _joined.FindIndex(m => m.Socket == socket);

    private readonly record struct Member(SocketConnection Socket, long Floor);
}
