using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>One notification in an outbox's persisted state. Mutable: the grain updates it in place and then persists.</summary>
[GenerateSerializer, Alias("wedrawos.StoredNotification")]
public sealed class StoredNotification
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public string Kind { get; set; } = "";

    /// <summary>Template values; cleared once the notification is finished so codes and tokens are not kept.</summary>
    [Id(2)] public Dictionary<string, string> Fields { get; set; } = [];

    [Id(3)] public string Language { get; set; } = "";

    [Id(4)] public string? PreferredProvider { get; set; }

    [Id(5)] public string Status { get; set; } = NotificationStates.Queued;

    [Id(6)] public int Attempts { get; set; }

    [Id(7)] public string? Provider { get; set; }

    [Id(8)] public string? ProviderMessageId { get; set; }

    [Id(9)] public string? Error { get; set; }

    [Id(10)] public DateTimeOffset CreatedAt { get; set; }

    [Id(11)] public DateTimeOffset? SentAt { get; set; }

    /// <summary>When the next attempt is due; null once finished.</summary>
    [Id(12)] public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the call that queued it, so that its sends join the caller's
    /// trace although they run later in a timer; null when nothing was traced.
    /// </summary>
    [Id(13)] public string? TraceParent { get; set; }

    public bool IsPending => Status is NotificationStates.Queued or NotificationStates.Retrying or NotificationStates.Sending;

    public NotificationRecord ToRecord(NotifierKey key) =>
        new(Id, key.Channel, key.Recipient, Kind, Status, Attempts, Provider, ProviderMessageId, Error, CreatedAt, SentAt);
}
