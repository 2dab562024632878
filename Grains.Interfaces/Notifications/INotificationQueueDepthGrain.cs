using Orleans.Concurrency;

namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>Cluster-wide notification queue depth (key 0): each silo reports its own, readers get the sum.</summary>
public interface INotificationQueueDepthGrain : IGrainWithIntegerKey
{
    Task Report(string silo, int pending);

    [ReadOnly]
    Task<int> Total();
}
