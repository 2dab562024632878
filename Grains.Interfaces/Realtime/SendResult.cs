namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>The answer to a send, given only after the message is durably stored.</summary>
/// <param name="Seq">The message's seq (room seq, or the recipient's inbox seq).</param>
/// <param name="Duplicate">True when the sender's client id had already been accepted: nothing was delivered again.</param>
/// <param name="Online">For direct messages: whether the recipient had an open connection.</param>
/// <param name="InboxFull">
/// For direct messages: refused, nothing stored (<see cref="Seq"/> is 0), because the sender's messages already hold
/// their whole share of the recipient's inbox (<c>INBOX_SENDER_SHARE</c> percent of <c>INBOX_MAX_BYTES</c>).
/// </param>
/// <param name="Message">
/// For room messages sent with <see cref="OutgoingMessage.OriginFront"/>: the stored message, when the room did not
/// push it to that front (its whole write came from there), so that the front hands it to its other sockets itself.
/// </param>
[GenerateSerializer, Immutable, Alias("wedrawos.SendResult")]
public sealed record SendResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] bool Duplicate,
    [property: Id(2)] bool Online,
    [property: Id(3)] bool InboxFull = false,
    [property: Id(4)] ChatMessage? Message = null);
