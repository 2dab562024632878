using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// Keeps this front known to the cluster: renews the front's one lease and the leases of its room subscriptions every
/// half ping interval (registering all its connections again when the lease grain asks for a resync), and listens to
/// the broadcast stream for as long as the front runs.
/// </summary>
internal sealed partial class FrontLeaseService(
    FrontNode front,
    ConnectionRegistry registry,
    IClusterClient cluster,
    ILogger<FrontLeaseService> logger) : BackgroundService
{
    private StreamSubscriptionHandle<BroadcastMessage>? _broadcast;

    // Kept until a resync went through: the lease grain asks only once.
    private bool _resync;

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
            // Renewed once at start, so that the lease runs (and its grain tracks users) from the first socket on.
            await RenewAsync();
            using var timer = new PeriodicTimer(front.RenewEvery);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SubscribeToBroadcastsAsync();
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down (also when the host is disposed without being stopped first).
        }
    }

    private async Task RenewAsync()
    {
        try
        {
            var renewal = await front.RenewLeaseAsync();
            _resync |= renewal.Resync;
            var renewals = registry.Rooms().Select(room => (Task)front.SubscribeAsync(room));
            if (_resync)
            {
                // Rare (front start, lease grain or silo lost): the per-user registration is needed only then.
                var users = registry.Users();
                LogResync(logger, users.Count);
                renewals = renewals.Concat(users.Select(u => (Task)front.ConnectAsync(u.UserId, u.ConnectionIds)));
            }

            await Task.WhenAll(renewals);
            _resync = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A silo may be down for a moment; the next round renews again, well within the lease.
            LogRenewFailed(logger, e);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster asked this front to register its connections again ({Count} user(s))")]
    private static partial void LogResync(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this front's leases in the cluster failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
