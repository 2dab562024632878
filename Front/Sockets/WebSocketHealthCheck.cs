using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Front.Sockets;

/// <summary>The <c>websocket</c> entry of <c>/health/ready</c>: unhealthy while shutting down or full, degraded above 90 % of capacity.</summary>
internal sealed class WebSocketHealthCheck(ConnectionRegistry registry, IOptions<SocketOptions> options, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var count = registry.Count;
        var max = options.Value.MaxConnections;
        var description = $"{count} of {max} socket(s)";
        var result = lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("shutting down")
            : count >= max ? HealthCheckResult.Unhealthy(description + ": full")
            : count >= max * 0.9 ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Healthy(description);
        return Task.FromResult(result);
    }
}
