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
}
