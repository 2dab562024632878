using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Email;

namespace WeDrawOS.Hosting.Health;

/// <summary>
/// <c>smtp</c> in <c>/health/ready</c>. Pickup mode is healthy. With a server configured, a server that the last
/// send could not use, or that does not accept a TCP connection now, is degraded, not unhealthy: mail waits in
/// the outboxes (the description gives the backlog) and goes out when the server is back.
/// </summary>
public sealed class SmtpHealthCheck(IOptions<MailOptions> options, SmtpServerState state, IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var mail = options.Value;
        if (mail.PickupMode)
        {
            return HealthCheckResult.Healthy($"pickup mode: .eml files in {mail.PickupDirectory}");
        }

        var problem = await ProbeAsync(mail, cancellationToken) ?? state.Refusal;
        if (problem is null)
        {
            return HealthCheckResult.Healthy($"{mail.Host}:{mail.Port} reachable");
        }

        return HealthCheckResult.Degraded($"{problem}; {await BacklogAsync()} notification(s) waiting in outboxes");
    }

    private static async Task<string?> ProbeAsync(MailOptions mail, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(mail.Host!, mail.Port, timeout.Token);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return $"{mail.Host}:{mail.Port} unreachable";
        }
    }

    private async Task<string> BacklogAsync()
    {
        try
        {
            return (await grains.GetGrain<INotificationQueueDepthGrain>(0).Total().WaitAsync(TimeSpan.FromSeconds(2))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return "an unknown number of";
        }
    }
}
