using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Users;

/// <summary>What a user grain persists besides its inbox (a <see cref="MessageLog"/>): last seen and its rooms.</summary>
[GenerateSerializer, Alias("wedrawos.UserState")]
public sealed class UserState
{
    [Id(3)]
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Rooms the user is a member of (bounded), told about its presence changes.</summary>
    [Id(4)]
    public HashSet<string> Rooms { get; set; } = new(StringComparer.Ordinal);
}
