namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>A message for every connected user, published once on the broadcast stream.</summary>
/// <param name="Data">The payload as JSON text.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.BroadcastMessage")]
public sealed record BroadcastMessage(
    [property: Id(0)] string Data,
    [property: Id(1)] DateTimeOffset Ts);
