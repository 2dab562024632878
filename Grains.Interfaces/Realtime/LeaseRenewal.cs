namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>The answer to a front's lease renewal.</summary>
/// <param name="Resync">
/// True when registrations may have been lost: the lease grain re-activated or its lease had run out (it no longer
/// knows the front's users), or the cluster's membership changed (user grains may have re-activated on another silo).
/// The front then registers all its connections again with <c>IUserGrain.Connect</c>.
/// </param>
[GenerateSerializer, Immutable, Alias("wedrawos.LeaseRenewal")]
public sealed record LeaseRenewal([property: Id(0)] bool Resync);
