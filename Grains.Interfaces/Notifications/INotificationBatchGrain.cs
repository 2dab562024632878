namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>
/// Fans a batch out over the recipients' outboxes with bounded concurrency (a stateless worker: call it with
/// key 0). Each item is queued independently; one bad item does not stop the others.
/// </summary>
public interface INotificationBatchGrain : IGrainWithIntegerKey
{
    /// <summary>Queues every item; one result per item, in the same order.</summary>
    /// <remarks>
    /// A chunk of hundreds of outbox writes may legitimately outlast the short call timeout fronts use to get over a
    /// dead silo (<c>FRONT_CALL_TIMEOUT_MS</c>), so this call keeps Orleans' default of 30 s.
    /// </remarks>
    [ResponseTimeout("00:00:30")]
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
