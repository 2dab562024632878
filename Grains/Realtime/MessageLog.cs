using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// A bounded, persisted message log (a room's history, a user's inbox) with its de-duplication window, stored as two
/// grain states so that a write costs the size of the message, not of the history: each message is written to a
/// small tail; every <see cref="TailSize"/> messages the tail is folded into the archive. The archive is written before
/// the tail is emptied, so a crash in between only leaves messages in both, which loading drops from the tail.
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

    public MessageLog(IPersistentState<MessageLogSegment> tail, IPersistentState<MessageLogSegment> archive, int capacity, int dedupCapacity)
    {
        _tail = tail;
        _archive = archive;
        _capacity = capacity;
        _dedupCapacity = dedupCapacity;
        var archived = archive.State.Messages.Count > 0 ? archive.State.Messages[^1].Seq : 0;
        tail.State.Messages.RemoveAll(m => m.Seq <= archived);
        Reindex();
    }

    /// <summary>The de-duplication key of a client id: ids are unique per sender.</summary>
    public static string KeyOf(string from, string clientId) => from + "\n" + clientId;

    /// <summary>The latest seq ever given (0 before the first message).</summary>
    public long LastSeq => _tail.State.Messages.Count > 0 ? _tail.State.Messages[^1].Seq
        : _archive.State.Messages.Count > 0 ? _archive.State.Messages[^1].Seq : 0;

    /// <summary>The kept messages (at most the capacity), oldest first.</summary>
    public List<ChatMessage> Messages()
    {
        var all = _archive.State.Messages.Concat(_tail.State.Messages).ToList();
        return all.Count > _capacity ? all.GetRange(all.Count - _capacity, _capacity) : all;
    }

    public bool TryGetDuplicate(string key, out long seq) => _index.TryGetValue(key, out seq);

    /// <summary>Appends and persists the message; returns once it is durable.</summary>
    public async Task AppendAsync(ChatMessage message, string? dedupKey)
    {
        _tail.State.Messages.Add(message);
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
        Trim(archive.Messages, _capacity);
        archive.Dedup.AddRange(_tail.State.Dedup);
        Trim(archive.Dedup, _dedupCapacity);
        await _archive.WriteStateAsync();
        _tail.State.Messages.Clear();
        _tail.State.Dedup.Clear();
        await _tail.WriteStateAsync();
        Reindex();
    }

    private static void Trim<T>(List<T> list, int capacity)
    {
        if (list.Count > capacity)
        {
            list.RemoveRange(0, list.Count - capacity);
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
