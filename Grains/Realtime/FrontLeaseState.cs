namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// What a front's lease grain stores: the lease the front renews with, and whether it ended without a renewal. The
/// users on the front stay in memory; this lets a new activation end the lease of a front that died meanwhile.
/// </summary>
[GenerateSerializer, Alias("wedrawos.FrontLeaseState")]
public sealed class FrontLeaseState
{
    /// <summary>The lease of the front's last renewal; null before the first.</summary>
    [Id(0)]
    public TimeSpan? Lease { get; set; }

    /// <summary>The lease ran out without a renewal: the front is taken as gone until it renews again.</summary>
    [Id(1)]
    public bool Ended { get; set; }
}
