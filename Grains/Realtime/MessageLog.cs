using System.Text;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// A bounded, persisted message log (a room's history, a user's inbox) with its de-duplication window, stored as two
/// grain states so that a write costs the size of the message, not of the history: each message is written to a
/// small tail; every <see cref="TailSize"/> messages the tail is folded into the archive. The archive is written before
/// the tail is emptied, so a crash in between only leaves messages in both, which loading drops from the tail.
/// The kept messages (archive, then tail) are bounded by count and by bytes of <c>data</c>: the oldest are dropped
/// first, in memory at once and from storage with the next write, so the newest message always stays and the seqs
/// kept are consecutive.
/// </summary>
internal sealed class MessageLog
{
    /// <summary>Messages written to the tail before it is folded into the archive.</summary>
    public const int TailSize = 64;

    private readonly IPersistentState<MessageLogSegment> _tail;
    private readonly IPersistentState<MessageLogSegment> _archive;
    private readonly int _capacity;
    private readonly long _maxBytes;
    private readonly int _dedupCapacity;
    private readonly Dictionary<string, long> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _bytesBySender = new(StringComparer.Ordinal);
    private long _bytes;

    public MessageLog(IPersistentState<MessageLogSegment> tail, IPersistentState<MessageLogSegment> archive, int capacity, long maxBytes, int dedupCapacity)
    {
        _tail = tail;
        _archive = archive;
        _capacity = capacity;
        _maxBytes = maxBytes;
        _dedupCapacity = dedupCapacity;
        var archived = archive.State.Messages.Count > 0 ? archive.State.Messages[^1].Seq : 0;
        tail.State.Messages.RemoveAll(m => m.Seq <= archived);
        foreach (var message in archive.State.Messages.Concat(tail.State.Messages))
        {
            Account(message, SizeOf(message));
        }

        Trim();
        Reindex();
    }

    /// <summary>The de-duplication key of a client id: ids are unique per sender.</summary>
    public static string KeyOf(string from, string clientId) => from + "\n" + clientId;

    /// <summary>The bytes a message counts for in the budgets: its <c>data</c> as UTF-8, as it travels.</summary>
    public static long SizeOf(ChatMessage message) => Encoding.UTF8.GetByteCount(message.Data);

    /// <summary>The latest seq ever given (0 before the first message).</summary>
    public long LastSeq => _tail.State.Messages.Count > 0 ? _tail.State.Messages[^1].Seq
        : _archive.State.Messages.Count > 0 ? _archive.State.Messages[^1].Seq : 0;

    /// <summary>The oldest seq still kept (<see cref="LastSeq"/> + 1 when the log is empty).</summary>
    public long FirstSeq => Count > 0 ? At(0).Seq : LastSeq + 1;

    /// <summary>
    /// Bytes of <c>data</c> that the messages of <paramref name="next"/>'s sender would hold once it is appended: its
    /// own bytes added, and those of the sender's oldest messages that the append would push out taken off.
    /// </summary>
    public long BytesFromSenderWith(ChatMessage next)
    {
        var size = SizeOf(next);
        var bytes = _bytesBySender.GetValueOrDefault(next.From) + size;
        var pushedOut = Excess(Count + 1, _bytes + size);
        for (var index = 0; index < pushedOut; index++)
        {
            var oldest = At(index);
            if (oldest.From == next.From)
            {
                bytes -= SizeOf(oldest);
            }
        }

        return bytes;
    }

    private int Count => _archive.State.Messages.Count + _tail.State.Messages.Count;

    public bool TryGetDuplicate(string key, out long seq) => _index.TryGetValue(key, out seq);

    /// <summary>
    /// One page of the kept messages: from the bound on in the request's direction, until its limit or its bytes are
    /// reached (the first message always goes, so that a client paging on never gets stuck), oldest first.
    /// </summary>
    public MessagePage Read(PageRequest request)
    {
        var count = Count;
        var first = FirstSeq;
        var page = new List<ChatMessage>();
        long bytes = 0;
        bool TryTake(int index)
        {
            var message = At(index);
            var size = SizeOf(message);
            if (page.Count >= request.Limit || (page.Count > 0 && bytes + size > request.MaxBytes))
            {
                return false;
            }

            page.Add(message);
            bytes += size;
            return true;
        }

        if (request.Direction == PageDirection.Forward)
        {
            // Messages with seq > bound: from index bound + 1 - first (seqs kept are consecutive).
            var next = (int)Math.Clamp(request.Seq - first + 1, 0, count);
            while (next < count && TryTake(next))
            {
                next++;
            }

            return new MessagePage(page, next < count);
        }

        // Messages with seq < bound: below index bound - first.
        var previous = (int)Math.Clamp(request.Seq - first, 0, count) - 1;
        while (previous >= 0 && TryTake(previous))
        {
            previous--;
        }

        page.Reverse();
        return new MessagePage(page, previous >= 0);
    }

    /// <summary>Appends and persists the message, dropping the oldest beyond the bounds; returns once it is durable.</summary>
    public async Task AppendAsync(ChatMessage message, string? dedupKey)
    {
        _tail.State.Messages.Add(message);
        Account(message, SizeOf(message));
        Trim();
        if (dedupKey is not null)
        {
            _tail.State.Dedup.Add(new DedupEntry(dedupKey, message.Seq));
            _index[dedupKey] = message.Seq;
        }

        if (_tail.State.Messages.Count < TailSize)
        {
            await _tail.WriteStateAsync();
            return;
        }

        var archive = _archive.State;
        archive.Messages.AddRange(_tail.State.Messages);
        archive.Dedup.AddRange(_tail.State.Dedup);
        if (archive.Dedup.Count > _dedupCapacity)
        {
            archive.Dedup.RemoveRange(0, archive.Dedup.Count - _dedupCapacity);
        }

        await _archive.WriteStateAsync();
        _tail.State.Messages.Clear();
        _tail.State.Dedup.Clear();
        await _tail.WriteStateAsync();
        Reindex();
    }

    private ChatMessage At(int index)
    {
        var archived = _archive.State.Messages;
        return index < archived.Count ? archived[index] : _tail.State.Messages[index - archived.Count];
    }

    /// <summary>Drops the oldest messages (archive first, then tail) until count and bytes are within bounds, keeping the newest.</summary>
    private void Trim()
    {
        for (var excess = Excess(Count, _bytes); excess > 0; excess--)
        {
            var oldest = _archive.State.Messages.Count > 0 ? _archive.State.Messages : _tail.State.Messages;
            Account(oldest[0], -SizeOf(oldest[0]));
            oldest.RemoveAt(0);
        }
    }

    /// <summary>How many of the oldest kept messages must go for <paramref name="count"/> messages of <paramref name="bytes"/> to fit (never the newest).</summary>
    private int Excess(int count, long bytes)
    {
        var excess = 0;
        while (count - excess > 1 && (count - excess > _capacity || bytes > _maxBytes))
        {
            bytes -= SizeOf(At(excess));
            excess++;
        }

        return excess;
    }

    private void Account(ChatMessage message, long bytes)
    {
        _bytes += bytes;
        var fromSender = _bytesBySender.GetValueOrDefault(message.From) + bytes;
        if (fromSender > 0)
        {
            _bytesBySender[message.From] = fromSender;
        }
        else
        {
            _bytesBySender.Remove(message.From);
        }
    }

    private void Reindex()
    {
        _index.Clear();
        foreach (var entry in _archive.State.Dedup.Concat(_tail.State.Dedup))
        {
            _index[entry.Key] = entry.Seq;
        }
    }
}
