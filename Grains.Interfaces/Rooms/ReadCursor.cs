namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>How far a member has read a room: every message up to <paramref name="Seq"/>.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.ReadCursor")]
public sealed record ReadCursor(
    [property: Id(0)] string UserId,
    [property: Id(1)] long Seq);
