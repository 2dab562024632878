using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Sockets;

/// <summary>A numbered message of a room or an inbox, serialized once for every local socket it goes to.</summary>
/// <param name="Seq">The room's seq, or the inbox seq of the user it belongs to.</param>
/// <param name="Frame">The <c>message</c> frame as UTF-8 JSON.</param>
/// <param name="ExceptConnection">The sending socket, which got an ack instead; null for none.</param>
/// <param name="AcceptedAt">When the grain accepted the message (its delivery latency is measured from it).</param>
internal sealed record SequencedFrame(long Seq, byte[] Frame, string? ExceptConnection, DateTimeOffset AcceptedAt)
{
    /// <summary>The frame of a stored message.</summary>
    public static SequencedFrame Of(ChatMessage message, string? exceptConnection) =>
        new(message.Seq, ServerFrames.Message(message), exceptConnection, message.Ts);
}
