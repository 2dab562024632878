namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>What a sender asks to deliver: a room message or a direct message.</summary>
/// <param name="From">Sender user id (a service may name itself, e.g. <c>system</c>).</param>
/// <param name="ClientId">Client message id, unique per sender, for de-duplication; null to skip de-duplication.</param>
/// <param name="Data">The payload as JSON text (any JSON value).</param>
/// <param name="OriginConnection">The sending socket, which gets an ack instead of its own message; null from services.</param>
/// <param name="OriginFront">
/// The front of the sending socket, when that front delivers a room message it sent to its own other sockets from the
/// answer (<see cref="SendResult.Message"/>): the room then does not push it there. Null from services, and from fronts
/// older than this field, which get the push as before.
/// </param>
[GenerateSerializer, Immutable, Alias("wedrawos.OutgoingMessage")]
public sealed record OutgoingMessage(
    [property: Id(0)] string From,
    [property: Id(1)] string? ClientId,
    [property: Id(2)] string Data,
    [property: Id(3)] string? OriginConnection,
    [property: Id(4)] string? OriginFront = null)
{
    /// <summary>The sender name of a message from a service that gives none (HTTP API, <c>WeDrawOS.Client</c>).</summary>
    public const string ServiceSender = "system";
}
