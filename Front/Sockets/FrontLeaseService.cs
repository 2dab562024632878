namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Keeps this front known to the cluster: every half ping interval it renews the front's one lease, its subscription
/// to broadcasts and its room subscriptions (whose answers double as position checks), and registers all its
/// connections again when the lease grain asks for a resync. On shutdown it leaves the broadcasts.
/// </summary>
internal sealed partial class FrontLeaseService(
    FrontNode front,
    ConnectionRegistry registry,
    ILogger<FrontLeaseService> logger) : BackgroundService
{
    // Kept until a resync went through: the lease grain asks only once.
    private bool _resync;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await front.UnsubscribeBroadcastsAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease ends by itself: the broadcast grain stops pushing here within one lease.
            LogRenewFailed(logger, e);
        }

        front.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Renewed once at start, so that the lease runs (and its grain tracks users) from the first socket on.
            await RenewAsync();
            using var timer = new PeriodicTimer(front.RenewEvery);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
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
            var renewals = registry.Rooms().Select(room => (Task)front.SubscribeAsync(room)).Append(front.SubscribeBroadcastsAsync());
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster asked this front to register its connections again ({Count} user(s))")]
    private static partial void LogResync(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this front's leases in the cluster failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
