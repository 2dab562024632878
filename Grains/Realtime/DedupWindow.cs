namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// The last N accepted client ids of a room or inbox. The list is the persisted form (oldest first); the index is
/// rebuilt on activation so lookups stay O(1).
/// </summary>
internal sealed class DedupWindow
{
    private readonly List<DedupEntry> _entries;
    private readonly Dictionary<string, long> _index;
    private readonly int _capacity;

    public DedupWindow(List<DedupEntry> entries, int capacity)
    {
        _entries = entries;
        _capacity = capacity;
        _index = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _index[entry.Key] = entry.Seq;
        }
    }

    public static string KeyOf(string from, string clientId) => from + "\n" + clientId;

    public bool TryGet(string key, out long seq) => _index.TryGetValue(key, out seq);

    public void Add(string key, long seq)
    {
        _entries.Add(new DedupEntry(key, seq));
        _index[key] = seq;
        var excess = _entries.Count - _capacity;
        if (excess > 0)
        {
            foreach (var old in _entries.Take(excess))
            {
                _index.Remove(old.Key);
            }

            _entries.RemoveRange(0, excess);
        }
    }
}
