namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>A stored message pushed to a front, with the socket that sent it (it got an ack instead), if any.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.PushedMessage")]
public sealed record PushedMessage(
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] string? ExceptConnection);
