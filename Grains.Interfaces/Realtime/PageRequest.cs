namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>One page of a message log (a room's history, a user's inbox) to read.</summary>
/// <param name="Direction">Forward: seqs above <paramref name="Seq"/> from the oldest on; backward: seqs below it, the newest of them.</param>
/// <param name="Seq">The bound, itself excluded.</param>
/// <param name="Limit">Messages at most.</param>
/// <param name="MaxBytes">Bytes of <c>data</c> at most; the first message goes even when it alone is larger, so paging always moves on.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.PageRequest")]
public sealed record PageRequest(
    [property: Id(0)] PageDirection Direction,
    [property: Id(1)] long Seq,
    [property: Id(2)] int Limit,
    [property: Id(3)] int MaxBytes)
{
    /// <summary>Messages with a seq above <paramref name="seq"/>, oldest first.</summary>
    public static PageRequest After(long seq, int limit, int maxBytes) => new(PageDirection.Forward, seq, limit, maxBytes);

    /// <summary>The latest messages with a seq below <paramref name="seq"/> (below none: the latest of all), returned oldest first.</summary>
    public static PageRequest Before(long? seq, int limit, int maxBytes) => new(PageDirection.Backward, seq ?? long.MaxValue, limit, maxBytes);
}
