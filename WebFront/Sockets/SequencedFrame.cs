namespace WeDrawOS.WebFront.Sockets;

/// <summary>A numbered message of a room or an inbox, serialized once for every local socket it goes to.</summary>
/// <param name="Seq">The room's seq, or the inbox seq of the user it belongs to.</param>
/// <param name="Frame">The <c>message</c> frame as UTF-8 JSON.</param>
/// <param name="ExceptConnection">The sending socket, which got an ack instead; null for none.</param>
internal sealed record SequencedFrame(long Seq, byte[] Frame, string? ExceptConnection);
