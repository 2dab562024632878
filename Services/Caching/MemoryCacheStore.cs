using System.Buffers.Text;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// The in-memory fallback: a bounded LRU store with per-entry expiry, plus the journal of keys written while it
/// serves (for the replay when Redis returns). It is open only while the service is on the fallback: every
/// operation returns false once it is closed, so a caller that raced with the switch back retries on Redis
/// instead of writing into a store nobody will read.
/// </summary>
internal sealed class MemoryCacheStore(CacheOptions options, bool journal)
{
    // Rough per-entry bookkeeping cost (node, dictionary slot, entry object) so that many tiny entries count too.
    private const int EntryOverhead = 96;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<string, JournalEntry> _journal = new(StringComparer.Ordinal);
    private long _bytes;
    private long _version;
    private bool _open;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True when writes were made that the journal could not hold (see <see cref="CacheOptions.FallbackMaxEntries"/>).</summary>
    public bool JournalOverflowed { get; private set; }

    /// <summary>Starts serving, empty: what an earlier outage left behind may be stale by now.</summary>
    public void Open()
    {
        lock (_lock)
        {
            ClearLocked();
            _journal.Clear();
            JournalOverflowed = false;
            _open = true;
        }
    }

    /// <summary>
    /// Stops serving if no write is waiting to be replayed, running <paramref name="onClosed"/> under the same
    /// lock so that no operation can slip in between the last replay and the switch.
    /// </summary>
    public bool TryClose(Action onClosed)
    {
        lock (_lock)
        {
            if (_journal.Count > 0)
            {
                return false;
            }

            _open = false;
            ClearLocked();
            onClosed();
            return true;
        }
    }

    /// <summary>The writes waiting for Redis, each with the key's current fallback value.</summary>
    public IReadOnlyList<OutageWrite> PendingWrites()
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            var writes = new List<OutageWrite>(_journal.Count);
            foreach (var (key, entry) in _journal)
            {
                if (entry.CounterOnly)
                {
                    writes.Add(new OutageWrite(key, entry.Delta, null, null, entry.Version));
                    continue;
                }

                var live = FindLocked(key, now, touch: false);
                writes.Add(live is null
                    ? new OutageWrite(key, null, null, null, entry.Version)
                    : new OutageWrite(key, null, live.Value, live.ExpiresAt == 0 ? null : TimeSpan.FromMilliseconds(Math.Max(1, live.ExpiresAt - now)), entry.Version));
            }

            return writes;
        }
    }

    /// <summary>Forgets replayed writes, except for keys written again since they were taken.</summary>
    public void Replayed(IEnumerable<OutageWrite> writes)
    {
        lock (_lock)
        {
            foreach (var write in writes)
            {
                if (_journal.TryGetValue(write.Key, out var entry) && entry.Version == write.Version)
                {
                    _journal.Remove(write.Key);
                }
            }
        }
    }

    public bool TryGet(string key, out byte[]? value)
    {
        lock (_lock)
        {
            value = _open ? FindLocked(key, Environment.TickCount64, touch: true)?.Value : null;
            return _open;
        }
    }

    public bool TryGetMany(string[] keys, out byte[]?[] values)
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            values = new byte[]?[keys.Length];
            for (var i = 0; _open && i < keys.Length; i++)
            {
                values[i] = FindLocked(keys[i], now, touch: true)?.Value;
            }

            return _open;
        }
    }

    public bool TrySet(string key, byte[] value, TimeSpan? expiry)
    {
        lock (_lock)
        {
            if (!_open)
            {
                return false;
            }

            SetLocked(key, value, expiry);
            TrimLocked();
            return true;
        }
    }

    public bool TrySetMany(IReadOnlyList<KeyValuePair<string, byte[]>> items, TimeSpan? expiry)
    {
        lock (_lock)
        {
            if (!_open)
            {
                return false;
            }

            foreach (var (key, value) in items)
            {
                SetLocked(key, value, expiry);
            }

            TrimLocked();
            return true;
        }
    }

    public bool TryDelete(string key, out bool removed)
    {
        lock (_lock)
        {
            removed = false;
            if (!_open)
            {
                return false;
            }

            var node = FindLocked(key, Environment.TickCount64, touch: false);
            if (node is not null)
            {
                RemoveLocked(_entries[key]);
                removed = true;
            }

            JournalLocked(key, increment: null);
            return true;
        }
    }

    public bool TryExists(string key, out bool exists)
    {
        lock (_lock)
        {
            exists = _open && FindLocked(key, Environment.TickCount64, touch: false) is not null;
            return _open;
        }
    }

    public bool TryExpire(string key, TimeSpan expiry, out bool found)
    {
        lock (_lock)
        {
            found = false;
            if (!_open)
            {
                return false;
            }

            var now = Environment.TickCount64;
            var entry = FindLocked(key, now, touch: false);
            if (entry is not null)
            {
                entry.ExpiresAt = now + (long)expiry.TotalMilliseconds;
                found = true;
                JournalLocked(key, increment: null);
            }

            return true;
        }
    }

    /// <exception cref="InvalidOperationException">when the key holds something other than a whole number.</exception>
    public bool TryIncrement(string key, long by, out long result)
    {
        lock (_lock)
        {
            result = 0;
            if (!_open)
            {
                return false;
            }

            var now = Environment.TickCount64;
            var entry = FindLocked(key, now, touch: true);
            long current = 0;
            if (entry is not null && (!Utf8Parser.TryParse(entry.Value, out current, out var consumed) || consumed != entry.Value.Length))
            {
                throw new InvalidOperationException($"The value of '{key}' is not a whole number, so it cannot be incremented.");
            }

            result = checked(current + by);
            var bytes = System.Text.Encoding.ASCII.GetBytes(result.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // An increment keeps the key's expiry, as INCRBY does in Redis.
            var keepExpiry = entry is { ExpiresAt: > 0 } ? TimeSpan.FromMilliseconds(Math.Max(1, entry.ExpiresAt - now)) : (TimeSpan?)null;
            PutLocked(key, bytes, keepExpiry);
            JournalLocked(key, increment: by);
            TrimLocked();
            return true;
        }
    }

    private void SetLocked(string key, byte[] value, TimeSpan? expiry)
    {
        PutLocked(key, value, expiry);
        JournalLocked(key, increment: null);
    }

    private void PutLocked(string key, byte[] value, TimeSpan? expiry)
    {
        if (_entries.TryGetValue(key, out var existing))
        {
            RemoveLocked(existing);
        }

        var entry = new Entry(key, value, expiry is { } e ? Environment.TickCount64 + (long)e.TotalMilliseconds : 0);
        _entries[key] = _recency.AddFirst(entry);
        _bytes += entry.Size;
    }

    private Entry? FindLocked(string key, long now, bool touch)
    {
        if (!_entries.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node.Value.ExpiresAt != 0 && node.Value.ExpiresAt <= now)
        {
            RemoveLocked(node);
            return null;
        }

        if (touch && node != _recency.First)
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }

        return node.Value;
    }

    private void RemoveLocked(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Size;
    }

    private void TrimLocked()
    {
        while ((_entries.Count > options.FallbackMaxEntries || _bytes > options.FallbackMaxBytes) && _recency.Last is { } oldest)
        {
            RemoveLocked(oldest);
        }
    }

    private void ClearLocked()
    {
        _entries.Clear();
        _recency.Clear();
        _bytes = 0;
    }

    private void JournalLocked(string key, long? increment)
    {
        if (!journal)
        {
            return;
        }

        _version++;
        if (_journal.TryGetValue(key, out var entry))
        {
            // A key once overwritten stays overwritten: its final value is what Redis must get.
            _journal[key] = entry with { CounterOnly = entry.CounterOnly && increment is not null, Delta = entry.Delta + (increment ?? 0), Version = _version };
            return;
        }

        // The journal is bounded like the store: past the limit, writes are served but not replayed.
        if (_journal.Count >= options.FallbackMaxEntries)
        {
            JournalOverflowed = true;
            return;
        }

        _journal[key] = new JournalEntry(increment is not null, increment ?? 0, _version);
    }

    private sealed class Entry(string key, byte[] value, long expiresAt)
    {
        public string Key { get; } = key;

        public byte[] Value { get; } = value;

        public long ExpiresAt { get; set; } = expiresAt;

        public long Size { get; } = value.Length + (key.Length * 2L) + EntryOverhead;
    }

    private readonly record struct JournalEntry(bool CounterOnly, long Delta, long Version);
}
