namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>
/// Fans a batch out over the recipients' outboxes with bounded concurrency (a stateless worker: call it with
/// key 0). Each item is queued independently; one bad item does not stop the others.
/// </summary>
public interface INotificationBatchGrain : IGrainWithIntegerKey
{
    /// <summary>Queues every item; one result per item, in the same order.</summary>
    [ResponseTimeout(NotificationCallTimeout.Value)]
    Task<IReadOnlyList<BatchItemResult>> EnqueueBatch(IReadOnlyList<BatchNotification> items);
}

/// <summary>One notification of a batch: the outbox (a formatted <see cref="NotifierKey"/>) and what to send.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.BatchNotification")]
public sealed record BatchNotification(
    [property: Id(0)] string NotifierKey,
    [property: Id(1)] NotificationRequest Request);

/// <summary>The id of the queued notification, or why it was not queued.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.BatchItemResult")]
public sealed record BatchItemResult(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? Error);
