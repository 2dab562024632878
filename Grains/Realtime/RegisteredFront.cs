using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>A front a grain pushes to, as persisted: its observer reference and the lease it renews with.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.RegisteredFront")]
public sealed record RegisteredFront([property: Id(0)] IFrontObserver Observer, [property: Id(1)] TimeSpan Lease);
