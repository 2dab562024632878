using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// A bounded, persisted message log (a room's history, a user's inbox) with its de-duplication window, stored as two
/// grain states so that a write costs the size of the messages written, not of the history: each group of messages is
/// written to a small tail; once the tail holds <see cref="TailSize"/> messages it is folded into the archive. The
/// archive is written before the tail is emptied, so a crash in between only leaves messages in both, which loading
/// drops from the tail. Readers see only what is stored: a group becomes visible when its write succeeded, and a failed
/// write leaves the log as it was.
/// </summary>
internal sealed class MessageLog
{
    /// <summary>Messages written to the tail before it is folded into the archive.</summary>
    public const int TailSize = 64;

    private readonly IPersistentState<MessageLogSegment> _tail;
    private readonly IPersistentState<MessageLogSegment> _archive;
    private readonly int _capacity;
    private readonly int _dedupCapacity;
    private readonly Dictionary<string, long> _index = new(StringComparer.Ordinal);

    // The last seq whose write succeeded: the states hold more while a write is in flight.
    private long _stored;

    public MessageLog(IPersistentState<MessageLogSegment> tail, IPersistentState<MessageLogSegment> archive, int capacity, int dedupCapacity)
    {
        _tail = tail;
        _archive = archive;
        _capacity = capacity;
        _dedupCapacity = dedupCapacity;
        var archived = ArchivedSeq;
        tail.State.Messages.RemoveAll(m => m.Seq <= archived);
        _stored = tail.State.Messages.Count > 0 ? tail.State.Messages[^1].Seq : archived;
        foreach (var entry in _archive.State.Dedup.Concat(_tail.State.Dedup))
        {
            _index[entry.Key] = entry.Seq;
        }
    }

    /// <summary>The de-duplication key of a client id: ids are unique per sender.</summary>
    public static string KeyOf(string from, string clientId) => from + "\n" + clientId;

    /// <summary>The latest seq stored (0 before the first message).</summary>
    public long LastSeq => _stored;

    private long ArchivedSeq => _archive.State.Messages.Count > 0 ? _archive.State.Messages[^1].Seq : 0;

    /// <summary>The kept messages (at most the capacity), oldest first.</summary>
    public List<ChatMessage> Messages()
    {
        var archived = ArchivedSeq;
        var all = _archive.State.Messages.Where(m => m.Seq <= _stored)
            .Concat(_tail.State.Messages.Where(m => m.Seq > archived && m.Seq <= _stored))
            .ToList();
        return all.Count > _capacity ? all.GetRange(all.Count - _capacity, _capacity) : all;
    }

    public bool TryGetDuplicate(string key, out long seq) => _index.TryGetValue(key, out seq);

    /// <summary>Stores a group of messages (consecutive seqs after <see cref="LastSeq"/>) in one write; returns once they are durable.</summary>
    public async Task AppendAsync(IReadOnlyList<(ChatMessage Message, string? DedupKey)> group)
    {
        var tail = _tail.State;
        var added = group.Count;
        var dedupAdded = 0;
        foreach (var (message, key) in group)
        {
            tail.Messages.Add(message);
            if (key is not null)
            {
                tail.Dedup.Add(new DedupEntry(key, message.Seq));
                dedupAdded++;
            }
        }

        if (tail.Messages.Count < TailSize)
        {
            try
            {
                await _tail.WriteStateAsync();
            }
            catch
            {
                tail.Messages.RemoveRange(tail.Messages.Count - added, added);
                tail.Dedup.RemoveRange(tail.Dedup.Count - dedupAdded, dedupAdded);
                throw;
            }
        }
        else
        {
            await FoldAsync(added, dedupAdded);
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

    /// <summary>Writes the archive with the tail folded in, then the emptied tail.</summary>
    private async Task FoldAsync(int added, int dedupAdded)
    {
        var tail = _tail.State;
        var before = _archive.State;
        var folded = new MessageLogSegment
        {
            Messages = [.. before.Messages, .. tail.Messages],
            Dedup = [.. before.Dedup, .. tail.Dedup],
        };
        Trim(folded.Messages, _capacity);
        Trim(folded.Dedup, _dedupCapacity);
        _archive.State = folded;
        try
        {
            await _archive.WriteStateAsync();
        }
        catch
        {
            _archive.State = before;
            tail.Messages.RemoveRange(tail.Messages.Count - added, added);
            tail.Dedup.RemoveRange(tail.Dedup.Count - dedupAdded, dedupAdded);
            throw;
        }

        // The group is durable now, whatever happens to the tail's write: the stored tail holds only messages the archive
        // has too, which loading drops, and the next group's write replaces it.
        _tail.State = new MessageLogSegment();
        DropArchivedKeys(folded);
        try
        {
            await _tail.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the group's failure (see above): the next write of the tail reports it if the storage is still failing.
        }
    }

    /// <summary>Forgets the client ids trimmed from the archive's window.</summary>
    private void DropArchivedKeys(MessageLogSegment archive)
    {
        _index.Clear();
        foreach (var entry in archive.Dedup)
        {
            _index[entry.Key] = entry.Seq;
        }
    }

    private static void Trim<T>(List<T> list, int capacity)
    {
        if (list.Count > capacity)
        {
            list.RemoveRange(0, list.Count - capacity);
        }
    }
}
