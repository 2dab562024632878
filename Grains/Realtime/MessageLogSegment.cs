using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>One persisted part of a <see cref="MessageLog"/>: messages and the client ids accepted with them, oldest first.</summary>
[GenerateSerializer, Alias("wedrawos.MessageLogSegment")]
public sealed class MessageLogSegment
{
    [Id(0)]
    public List<ChatMessage> Messages { get; set; } = [];

    [Id(1)]
    public List<DedupEntry> Dedup { get; set; } = [];

    /// <summary>
    /// The log's encodings of its messages, for <see cref="MessageLogStorageSerializer"/>; not stored (no <c>Id</c>).
    /// Null for a segment that belongs to no log (the serializer then encodes every message).
    /// </summary>
    [NonSerialized]
    internal EncodedMessages? Encoded;
}
