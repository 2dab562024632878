using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>
/// Sums the silos' reports. Kept in memory only: silos report every few seconds, and a report older than
/// <see cref="Stale"/> (a silo that died) no longer counts.
/// </summary>
public sealed class NotificationQueueDepthGrain(TimeProvider time) : Grain, INotificationQueueDepthGrain
{
    internal static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, (int Pending, DateTimeOffset At)> _reports = new(StringComparer.Ordinal);

    public Task Report(string silo, int pending)
    {
        _reports[silo] = (pending, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<int> Total()
    {
        var cutoff = time.GetUtcNow() - Stale;
        foreach (var silo in _reports.Where(r => r.Value.At < cutoff).Select(r => r.Key).ToList())
        {
            _reports.Remove(silo);
        }

        return Task.FromResult(_reports.Values.Sum(r => r.Pending));
    }
}
