using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;

namespace WeDrawOS.Hosting.Health;

/// <summary>
/// <c>sms</c> in <c>/health/ready</c>: the providers in failover order with their circuit states. Some circuits
/// open is <c>degraded</c> (the others carry the traffic); all open is <c>unhealthy</c> (messages wait in their outboxes).
/// A front that hosts no grains sends nothing itself and says so, rather than reporting circuits it never uses.
/// </summary>
public sealed class SmsHealthCheck(IOptions<SmsOptions> options, SmsCircuitBreakers breakers, IEnumerable<INotificationSender> senders) : IHealthCheck
{
    private readonly bool _sendsHere = senders.Any(s => s.Channel == NotificationChannel.Sms);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_sendsHere)
        {
            return Task.FromResult(HealthCheckResult.Healthy("SMS is sent by the silos; their health reports the providers"));
        }

        if (options.Value.MockMode)
        {
            return Task.FromResult(HealthCheckResult.Healthy("mock mode: messages are recorded, not sent"));
        }

        var states = breakers.Order.Select(name => (name, state: breakers[name].State)).ToList();
        var description = "providers in failover order: " + string.Join(" -> ", states.Select(s => $"{s.name} ({Describe(s.state)})"));
        var open = states.Count(s => s.state == SmsCircuitState.Open);
        return Task.FromResult(open == 0 ? HealthCheckResult.Healthy(description)
            : open < states.Count ? HealthCheckResult.Degraded(description)
            : HealthCheckResult.Unhealthy(description));
    }

    private static string Describe(SmsCircuitState state) => state switch
    {
        SmsCircuitState.Closed => "closed",
        SmsCircuitState.Open => "open",
        _ => "half-open",
    };
}
