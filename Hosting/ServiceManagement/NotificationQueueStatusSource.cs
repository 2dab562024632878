using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>The <c>notificationQueueDepth</c> field of <c>/api/status</c>: notifications waiting in the whole cluster.</summary>
public sealed class NotificationQueueStatusSource(IGrainFactory grains) : IStatusSource
{
    public string Name => "notificationQueueDepth";

    public async ValueTask<object?> ReadAsync(CancellationToken cancellationToken) =>
        await grains.GetGrain<INotificationQueueDepthGrain>(0).Total().WaitAsync(cancellationToken);
}
