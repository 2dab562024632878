namespace WeDrawOS.Grains.Interfaces.Users;

/// <summary>A user's presence across all fronts: online while at least one connection is open.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.PresenceInfo")]
public sealed record PresenceInfo(
    [property: Id(0)] bool Online,
    [property: Id(1)] int Connections,
    [property: Id(2)] DateTimeOffset? LastSeen);
