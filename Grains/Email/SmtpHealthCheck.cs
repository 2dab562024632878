using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Grains.Email;

/// <summary>
/// <c>smtp</c> in <c>/health/ready</c>. Pickup mode is healthy; with a server configured, an unreachable
/// server is degraded because mail waits in the outbox instead of being lost.
/// </summary>
public sealed class SmtpHealthCheck(IOptions<MailOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var mail = options.Value;
        if (mail.PickupMode)
        {
            return HealthCheckResult.Healthy($"pickup mode: .eml files in {mail.PickupDirectory}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(mail.Host!, mail.Port, timeout.Token);
            return HealthCheckResult.Healthy($"{mail.Host}:{mail.Port} reachable");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Degraded($"{mail.Host}:{mail.Port} unreachable");
        }
    }
}
