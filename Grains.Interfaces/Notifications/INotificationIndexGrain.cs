using Orleans.Concurrency;

namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>
/// Maps one notification id (the grain key) to the outbox that holds it, so that
/// <c>GET /api/notifications/{id}</c> finds a notification from its id alone without the id carrying the
/// recipient. Written by the outbox before it acknowledges the notification, forgotten when the outbox drops it
/// from its history, so the index stays as bounded as the histories.
/// </summary>
public interface INotificationIndexGrain : IGrainWithStringKey
{
    /// <summary>Records the outbox (a formatted <see cref="NotifierKey"/>) of this notification.</summary>
    Task Register(string notifierKey);

    /// <summary>The outbox of this notification, or null when unknown.</summary>
    [ReadOnly]
    Task<string?> Find();

    /// <summary>Drops the entry (the outbox no longer keeps the notification).</summary>
    [OneWay]
    Task Forget();
}
