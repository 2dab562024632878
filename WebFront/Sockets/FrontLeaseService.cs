using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// Keeps this front known to the cluster: renews the leases of its users' connections and of its room
/// subscriptions every half ping interval, and listens to the broadcast stream for as long as the front runs.
/// </summary>
internal sealed partial class FrontLeaseService(
    FrontNode front,
    ConnectionRegistry registry,
    IClusterClient cluster,
    ILogger<FrontLeaseService> logger) : BackgroundService
{
    private StreamSubscriptionHandle<BroadcastMessage>? _broadcast;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_broadcast is not null)
        {
            try
            {
                await _broadcast.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRenewFailed(logger, e);
            }
        }

        front.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SubscribeToBroadcastsAsync();
        try
        {
            using var timer = new PeriodicTimer(front.RenewEvery);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SubscribeToBroadcastsAsync();
                    var renewals = registry.Users().Select(u => front.ConnectAsync(u.UserId, u.ConnectionIds))
                        .Concat(registry.Rooms().Select(front.SubscribeAsync));
                    await Task.WhenAll(renewals);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A silo may be down for a moment; the next round renews again, well within the lease.
                    LogRenewFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down (also when the host is disposed without being stopped first).
        }
    }

    private async Task SubscribeToBroadcastsAsync()
    {
        if (_broadcast is not null)
        {
            return;
        }

        try
        {
            var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<BroadcastMessage>(StreamNames.BroadcastStream);
            _broadcast = await stream.SubscribeAsync((message, _) =>
            {
                registry.DeliverAll(ServerFrames.Broadcast(message));
                return Task.CompletedTask;
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Retried on the next renewal round rather than stopping the front.
            LogRenewFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this front's leases in the cluster failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
