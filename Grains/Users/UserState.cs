using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Users;

/// <summary>What a user grain persists: the inbox (bounded), its seq, recent client ids, last seen.</summary>
[GenerateSerializer, Alias("wedrawos.UserState")]
public sealed class UserState
{
    [Id(0)]
    public long Seq { get; set; }

    [Id(1)]
    public List<ChatMessage> Inbox { get; set; } = [];

    [Id(2)]
    public List<DedupEntry> Dedup { get; set; } = [];

    [Id(3)]
    public DateTimeOffset? LastSeen { get; set; }
}
