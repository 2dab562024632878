using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Services.Notifications;

/// <summary>
/// Sends one notification over one channel (e-mail through SMTP or pickup, SMS through the providers).
/// The notifier grain owns durability and retries; a sender makes one attempt and classifies its outcome.
/// </summary>
public interface INotificationSender
{
    NotificationChannel Channel { get; }

    Task<SendOutcome> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);

    /// <summary>
    /// Checks a request before it is queued (the outbox calls this in <c>Enqueue</c>): null when it can be sent,
    /// otherwise a message for the caller. The default accepts everything.
    /// </summary>
    string? Validate(string to, NotificationRequest request) => null;
}

/// <summary>A notification ready to send: rendered from its kind's template by the sender.</summary>
public sealed record OutgoingNotification(
    string Id,
    string To,
    string Kind,
    IReadOnlyDictionary<string, string> Fields,
    string Language,
    string? PreferredProvider);

/// <summary>How an attempt ended. Transient failures are retried (after <see cref="RetryAfter"/> when given); permanent ones are not.</summary>
public sealed record SendOutcome(SendResult Kind, string? Provider, string? ProviderMessageId, string? Error, TimeSpan? RetryAfter = null)
{
    public static SendOutcome Sent(string provider, string? providerMessageId) => new(SendResult.Sent, provider, providerMessageId, null);

    public static SendOutcome Transient(string? provider, string error, TimeSpan? retryAfter = null) => new(SendResult.Transient, provider, null, error, retryAfter);

    public static SendOutcome Permanent(string? provider, string error) => new(SendResult.Permanent, provider, null, error);
}

public enum SendResult
{
    Sent,
    Transient,
    Permanent,
}
