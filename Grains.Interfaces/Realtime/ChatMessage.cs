namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// One accepted message, as stored in a room's history or a user's inbox and as delivered to sockets.
/// </summary>
/// <param name="Room">The room, or null for a direct message.</param>
/// <param name="Seq">The room's seq, or the recipient's inbox seq for a direct message.</param>
/// <param name="From">Sender user id (or the name a service gave).</param>
/// <param name="ClientId">The sender's client message id, when it gave one.</param>
/// <param name="Data">The payload as JSON text, stored verbatim.</param>
/// <param name="Ts">When the message was accepted (UTC).</param>
/// <param name="To">The recipient of a direct message, null for room messages.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.ChatMessage")]
public sealed record ChatMessage(
    [property: Id(0)] string? Room,
    [property: Id(1)] long Seq,
    [property: Id(2)] string From,
    [property: Id(3)] string? ClientId,
    [property: Id(4)] string Data,
    [property: Id(5)] DateTimeOffset Ts,
    [property: Id(6)] string? To);
