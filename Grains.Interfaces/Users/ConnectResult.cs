namespace WeDrawOS.Grains.Interfaces.Users;

/// <summary>What a new connection learns from its user grain.</summary>
/// <param name="InboxSeq">The latest direct-message seq of the user.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.ConnectResult")]
public sealed record ConnectResult([property: Id(0)] long InboxSeq);
