namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>One member of a room and whether it has an open connection anywhere.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.MemberPresence")]
public sealed record MemberPresence(
    [property: Id(0)] string UserId,
    [property: Id(1)] bool Online);
