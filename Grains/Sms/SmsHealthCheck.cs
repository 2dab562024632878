using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Grains.Sms;

/// <summary><c>sms</c> in <c>/health/ready</c>: the mode and the failover order of the providers.</summary>
public sealed class SmsHealthCheck(IOptions<SmsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(options.Value.MockMode
            ? HealthCheckResult.Healthy("mock mode: messages are recorded, not sent")
            : HealthCheckResult.Healthy("providers in failover order: " + string.Join(" -> ", options.Value.ProviderOrder)));
}
