using System.Text;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// A bounded, persisted message log (a room's history, a user's inbox) with its de-duplication window, stored as two
/// grain states so that a write costs the size of the messages written, not of the history: each group of messages is
/// written to a small tail; once the tail holds <see cref="TailSize"/> messages it is folded into the archive. The
/// archive is written before the tail is emptied, so a crash in between only leaves messages in both, which loading
/// drops from the tail. The kept messages (archive, then tail) are bounded by count and by bytes of <c>data</c>: the
/// oldest are dropped first, in memory at once and from storage with the next write, so the newest message always
/// stays and the seqs kept are consecutive. Readers see only what is stored: a group becomes visible when its write
/// succeeded, and a failed write takes the group out again.
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
    private readonly EncodedMessages _encoded;
    private long _bytes;

    // The last seq whose write succeeded: while a write is in flight the states hold more.
    private long _stored;

    public MessageLog(IPersistentState<MessageLogSegment> tail, IPersistentState<MessageLogSegment> archive, int capacity, long maxBytes, int dedupCapacity)
    {
        _tail = tail;
        _archive = archive;
        _capacity = capacity;
        _maxBytes = maxBytes;
        _dedupCapacity = dedupCapacity;
        var archived = archive.State.Messages.Count > 0 ? archive.State.Messages[^1].Seq : 0;
        tail.State.Messages.RemoveAll(m => m.Seq <= archived);
        _encoded = EncodedMessages.Of(archive.State, tail.State);
        archive.State.Encoded = tail.State.Encoded = _encoded;
        foreach (var message in archive.State.Messages.Concat(tail.State.Messages))
        {
            Account(message, SizeOf(message));
        }

        _stored = tail.State.Messages.Count > 0 ? tail.State.Messages[^1].Seq : archived;
        Trim();
        Reindex();
    }

    /// <summary>The de-duplication key of a client id: ids are unique per sender.</summary>
    public static string KeyOf(string from, string clientId) => from + "\n" + clientId;

    /// <summary>The de-duplication key of a message to store, or null when it has no client id (no de-duplication).</summary>
    public static string? KeyOf(OutgoingMessage message) => message.ClientId is null ? null : KeyOf(message.From, message.ClientId);

    /// <summary>The bytes a message counts for in the budgets: its <c>data</c> as UTF-8, as it travels.</summary>
    public static long SizeOf(ChatMessage message) => Encoding.UTF8.GetByteCount(message.Data);

    /// <summary>The latest seq stored (0 before the first message).</summary>
    public long LastSeq => _stored;

    /// <summary>The oldest seq still kept (<see cref="LastSeq"/> + 1 when the log is empty).</summary>
    public long FirstSeq => Stored > 0 ? At(0).Seq : LastSeq + 1;

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

    /// <summary>The kept messages that are stored: the ones of a write in flight are the last ones, with seqs above <see cref="LastSeq"/>.</summary>
    private int Stored => Count == 0 ? 0 : (int)Math.Max(0, Count - (At(Count - 1).Seq - _stored));

    public bool TryGetDuplicate(string key, out long seq) => _index.TryGetValue(key, out seq);

    /// <summary>
    /// One page of the stored messages: from the bound on in the request's direction, until its limit or its bytes are
    /// reached (the first message always goes, so that a client paging on never gets stuck), oldest first.
    /// </summary>
    public MessagePage Read(PageRequest request)
    {
        var count = Stored;
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

    /// <summary>
    /// Stores a group of messages (consecutive seqs after <see cref="LastSeq"/>) in one write, dropping the oldest beyond
    /// the bounds; returns once they are durable. When the write fails, the group is taken out again and the exception thrown.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<(ChatMessage Message, string? DedupKey)> group)
    {
        foreach (var (message, key) in group)
        {
            _tail.State.Messages.Add(message);
            Account(message, SizeOf(message));
            if (key is not null)
            {
                _tail.State.Dedup.Add(new DedupEntry(key, message.Seq));
            }
        }

        Trim();
        if (_tail.State.Messages.Count < TailSize)
        {
            try
            {
                await _tail.WriteStateAsync();
            }
            catch
            {
                TakeOutUnstored();
                throw;
            }
        }
        else
        {
            await FoldAsync();
        }

        _stored = group[^1].Message.Seq;
        foreach (var (message, key) in group)
        {
            if (key is not null)
            {
                _index[key] = message.Seq;
            }
        }
    }

    /// <summary>
    /// Writes the archive with the tail folded in, then the emptied tail. The new archive replaces the old one only in
    /// memory until its write succeeds, so a failed write leaves the log as it was.
    /// </summary>
    private async Task FoldAsync()
    {
        var archive = _archive.State;
        var tail = _tail.State;
        var folded = new MessageLogSegment { Messages = [.. archive.Messages, .. tail.Messages], Dedup = [.. archive.Dedup, .. tail.Dedup], Encoded = _encoded };
        var forgotten = folded.Dedup.Count > _dedupCapacity ? folded.Dedup[..(folded.Dedup.Count - _dedupCapacity)] : [];
        folded.Dedup.RemoveRange(0, forgotten.Count);

        _archive.State = folded;
        _tail.State = new MessageLogSegment { Encoded = _encoded };
        try
        {
            await _archive.WriteStateAsync();
        }
        catch
        {
            _archive.State = archive;
            _tail.State = tail;
            TakeOutUnstored();
            throw;
        }

        Forget(forgotten);
        try
        {
            await _tail.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The group is durable in the archive whatever happens here: the stored tail holds only messages the archive
            // has too, which loading drops, and the next group's write replaces it (or reports the storage's failure).
        }
    }

    /// <summary>Takes the messages of a failed write (seqs above <see cref="LastSeq"/>, the last ones) out of memory.</summary>
    private void TakeOutUnstored()
    {
        foreach (var list in new[] { _tail.State.Messages, _archive.State.Messages })
        {
            while (list.Count > 0 && list[^1].Seq > _stored)
            {
                Account(list[^1], -SizeOf(list[^1]));
                _encoded.Remove(list[^1]);
                list.RemoveAt(list.Count - 1);
            }
        }

        _tail.State.Dedup.RemoveAll(d => d.Seq > _stored);
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
            _encoded.Remove(oldest[0]);
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

    /// <summary>
    /// Takes the client ids a fold trimmed from the window out of the index, unless the index maps the id to a later
    /// message: the index then equals one rebuilt from the window, without walking the whole window at every fold.
    /// </summary>
    private void Forget(List<DedupEntry> trimmed)
    {
        foreach (var entry in trimmed)
        {
            if (_index.TryGetValue(entry.Key, out var seq) && seq == entry.Seq)
            {
                _index.Remove(entry.Key);
            }
        }
    }

    /// <summary>The client ids of the stored window, as loaded.</summary>
    private void Reindex()
    {
        _index.Clear();
        foreach (var entry in _archive.State.Dedup.Concat(_tail.State.Dedup).Where(e => e.Seq <= _stored))
        {
            _index[entry.Key] = entry.Seq;
        }
    }
}
