using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>
/// Runs on silos: reports this silo's <see cref="NotificationQueueGauge"/> to <see cref="INotificationQueueDepthGrain"/>
/// when it changes, and at least every few seconds so the report does not go stale.
/// </summary>
public sealed partial class NotificationQueueReporter(
    NotificationQueueGauge gauge,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<NotificationQueueReporter> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reported = -1;
        var reportedAt = DateTimeOffset.MinValue;
        var failures = 0;
        try
        {
            using var timer = new PeriodicTimer(Poll, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var pending = gauge.Pending;
                if (pending == reported && time.GetUtcNow() - reportedAt < Refresh)
                {
                    continue;
                }

                try
                {
                    await grains.GetGrain<INotificationQueueDepthGrain>(0).Report(silo.SiloAddress.ToParsableString(), pending);
                    reported = pending;
                    reportedAt = time.GetUtcNow();
                    failures = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The silo is starting or stopping; the next tick tries again. Logged once per outage.
                    if (failures++ == 0)
                    {
                        LogReportFailed(e);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down (also when the host is disposed without being stopped first).
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not report the notification queue depth")]
    private partial void LogReportFailed(Exception exception);
}
