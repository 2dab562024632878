using Orleans.Runtime;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>The <c>silos</c> field of <c>/api/status</c>: the active silos of the cluster.</summary>
public sealed class SilosStatusSource(IClusterClient client) : IStatusSource
{
    public string Name => "silos";

    public async ValueTask<object?> ReadAsync(CancellationToken cancellationToken)
    {
        var hosts = await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(cancellationToken);
        return hosts
            .OrderBy(h => h.SiloName, StringComparer.Ordinal)
            .Select(h => new { address = h.SiloAddress.ToParsableString(), name = h.SiloName, status = h.Status.ToString().ToLowerInvariant(), startedAt = h.StartTime })
            .ToArray();
    }
}
