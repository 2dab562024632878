using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Notifications.Sms;

/// <summary>
/// The SMS API of the original service for .NET callers. Every method validates first (an invalid number or
/// field throws <see cref="ArgumentException"/> and queues nothing), normalises the number to E.164, then stores
/// the message in the number's outbox and returns its notification id; delivery, failover and retries happen in
/// the background. A <c>language</c> is <c>zh-CN</c> (the default) or <c>en</c>.
/// </summary>
public interface ISmsService
{
    /// <summary>Sends a code the caller generated; counts against the number's verification-code rate limits.</summary>
    /// <exception cref="Verification.VerificationRateLimitedException">when those limits are reached (nothing is queued).</exception>
    Task<string> SendVerificationCode(string phone, string code, int expireMinutes, string? language = null);

    /// <summary>The notification template: a title and a text.</summary>
    Task<string> SendNotification(string phone, string title, string content, string? language = null);

    Task<string> Send(SmsRequest request);

    /// <summary>Queues each message independently; one result per message, in order. Invalid ones get an error, the others go out.</summary>
    Task<IReadOnlyList<SmsBatchResult>> SendBatch(IReadOnlyList<SmsRequest> messages);

    /// <summary>The number's most recent notifications, newest first.</summary>
    Task<IReadOnlyList<NotificationRecord>> History(string phone, int limit);
}
