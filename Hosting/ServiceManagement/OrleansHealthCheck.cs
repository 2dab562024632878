using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>Healthy when the cluster answers a management call and has at least one active silo.</summary>
public sealed class OrleansHealthCheck(IClusterClient client) : IHealthCheck
{
    private const int MaxMessage = 200;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("no active silo");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("cluster unreachable: " + Describe(e));
        }
    }

    /// <summary>The exception's type and its message up to the first detail (Redis client messages go on with connection diagnostics).</summary>
    private static string Describe(Exception e)
    {
        var message = e.Message;
        var details = message.IndexOf(" - ", StringComparison.Ordinal);
        if (details > 0)
        {
            message = message[..details];
        }

        return message.Length > MaxMessage ? $"{e.GetType().Name}: {message[..MaxMessage]}…" : $"{e.GetType().Name}: {message}";
    }
}
