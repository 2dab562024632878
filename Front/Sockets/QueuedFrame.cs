namespace WeDrawOS.Front.Sockets;

/// <summary>A frame waiting in a socket's send queue, with when its message was accepted (for the delivery-latency histogram).</summary>
internal readonly record struct QueuedFrame(byte[] Bytes, long AcceptedAtTicks)
{
    /// <summary>The <see cref="AcceptedAtTicks"/> of frames that carry no message (acks, joins, errors): not measured.</summary>
    public const long NotAMessage = 0;
}
