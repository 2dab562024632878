namespace WeDrawOS.Grains.Users;

/// <summary>
/// A user's open connections by front, persisted so that a new activation of the user grain (after a graceful
/// deactivation or a silo crash) still knows where to push and whether the user is online.
/// </summary>
[GenerateSerializer, Alias("wedrawos.UserConnections")]
public sealed class UserConnections
{
    [Id(0)]
    public Dictionary<string, FrontConnections> Fronts { get; set; } = new(StringComparer.Ordinal);
}
