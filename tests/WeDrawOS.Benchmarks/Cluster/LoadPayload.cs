namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// The <c>data</c> every system carries: the message id as numbers (read back by <see cref="FrameFields"/> at the
/// receivers) and a line of text, about 80 characters in all, the size of an ordinary chat message.
/// </summary>
public static class LoadPayload
{
    /// <summary>Key of the step number in a message's payload.</summary>
    public static ReadOnlySpan<byte> StepKey => "\"bs\":"u8;

    /// <summary>Key of the message number in a message's payload.</summary>
    public static ReadOnlySpan<byte> NumberKey => "\"bn\":"u8;

    /// <summary>Key of the broadcast number in a broadcast's payload.</summary>
    public static ReadOnlySpan<byte> BroadcastKey => "\"bb\":"u8;

    public static string Message(MessageId id) => $"{{\"bs\":{id.Step},\"bn\":{id.Number},\"text\":\"an ordinary line of chat, about this long\"}}";

    public static string Broadcast(int number) => $"{{\"bb\":{number},\"text\":\"an ordinary notice to everyone\"}}";
}
