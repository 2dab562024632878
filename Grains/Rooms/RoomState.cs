using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Rooms;

/// <summary>What a room persists: seq, bounded history, recent client ids, members and the optional access list.</summary>
[GenerateSerializer, Alias("wedrawos.RoomState")]
public sealed class RoomState
{
    [Id(0)]
    public long Seq { get; set; }

    [Id(1)]
    public List<ChatMessage> History { get; set; } = [];

    [Id(2)]
    public List<DedupEntry> Dedup { get; set; } = [];

    /// <summary>Users who joined and have not left.</summary>
    [Id(3)]
    public HashSet<string> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once a member list was given: only listed users (and staff) may enter, even when the list is empty.</summary>
    [Id(4)]
    public bool Restricted { get; set; }

    [Id(5)]
    public HashSet<string> Allowed { get; set; } = new(StringComparer.Ordinal);
}
