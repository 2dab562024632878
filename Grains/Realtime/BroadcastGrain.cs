using Orleans.Concurrency;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Storage;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// Pushes broadcasts to the subscribed fronts, one one-way call per front, the way rooms push their messages (the
/// memory stream it used before delivered at the pace of its pulling agent, about 100 ms). The fronts are persisted,
/// so a new activation pushes to them at once; reentrant, since only the registrations are written, one write at a time.
/// </summary>
[Reentrant]
public sealed class BroadcastGrain(
    [PersistentState("fronts", StorageNames.Realtime)] IPersistentState<RegisteredFronts> subscribedFronts,
    TimeProvider time) : Grain, IBroadcastGrain
{
    private FrontRegistrations _fronts = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _fronts = new FrontRegistrations(subscribedFronts, time);
        return Task.CompletedTask;
    }

    public Task<BroadcastMessage> Broadcast(string data)
    {
        var message = new BroadcastMessage(data, time.GetUtcNow());
        foreach (var front in _fronts.Live())
        {
            _ = front.Broadcast(message);
        }

        return Task.FromResult(message);
    }

    public Task Subscribe(string frontId, IFrontObserver front, TimeSpan lease) => _fronts.RenewAsync(frontId, front, lease);

    public Task Unsubscribe(string frontId) => _fronts.RemoveAsync(frontId);
}
