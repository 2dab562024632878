namespace WeDrawOS.Grains.Rooms;

/// <summary>What a room persists of its members' read cursors, apart from its other state so that a cursor write stays small.</summary>
[GenerateSerializer, Alias("wedrawos.ReadCursorsState")]
public sealed class ReadCursorsState
{
    /// <summary>Each member's cursor: the highest seq it has read.</summary>
    [Id(0)]
    public Dictionary<string, long> Seqs { get; set; } = new(StringComparer.Ordinal);
}
