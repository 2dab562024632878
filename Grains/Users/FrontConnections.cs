using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Users;

/// <summary>A user's connections on one front, as persisted: the front's observer reference and the connection ids.</summary>
[GenerateSerializer, Alias("wedrawos.FrontConnections")]
public sealed class FrontConnections
{
    [Id(0)]
    public IFrontObserver Observer { get; set; } = null!;

    [Id(1)]
    public HashSet<string> Connections { get; set; } = new(StringComparer.Ordinal);
}
