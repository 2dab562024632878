namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>One notification as its outbox knows it: what <c>GET /api/notifications/{id}</c> and the history return.</summary>
/// <param name="Status">One of <see cref="NotificationStates"/>.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.NotificationRecord")]
public sealed record NotificationRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] NotificationChannel Channel,
    [property: Id(2)] string To,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Status,
    [property: Id(5)] int Attempts,
    [property: Id(6)] string? Provider,
    [property: Id(7)] string? ProviderMessageId,
    [property: Id(8)] string? Error,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset? SentAt);
