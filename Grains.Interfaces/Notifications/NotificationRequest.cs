namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>A notification to queue in a recipient's outbox; the recipient is the notifier grain's key.</summary>
/// <param name="Kind">One of <see cref="NotificationKinds"/>.</param>
/// <param name="Fields">Values for the kind's template (see <see cref="NotificationKinds"/>).</param>
/// <param name="Language"><c>zh-CN</c> (the default) or <c>en</c>.</param>
/// <param name="Provider">For SMS, a provider to try first; null for the configured order.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.NotificationRequest")]
public sealed record NotificationRequest(
    [property: Id(0)] string Kind,
    [property: Id(1)] IReadOnlyDictionary<string, string> Fields,
    [property: Id(2)] string? Language = null,
    [property: Id(3)] string? Provider = null);
