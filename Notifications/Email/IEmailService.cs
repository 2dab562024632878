namespace WeDrawOS.Notifications.Email;

/// <summary>
/// The e-mail API of the original service for .NET callers. Every method validates first (an invalid address
/// or field throws <see cref="ArgumentException"/> and queues nothing), then stores the message in the
/// recipient's outbox and returns its notification id; delivery and retries happen in the background.
/// A <c>language</c> is <c>zh-CN</c> (the default) or <c>en</c>.
/// </summary>
public interface IEmailService
{
    Task<string> SendMail(string to, string subject, string? text, string? html);

    /// <summary>Sends a code the caller generated; counts against the address's verification-code rate limits.</summary>
    /// <exception cref="Verification.VerificationRateLimitedException">when those limits are reached (nothing is queued).</exception>
    Task<string> SendVerificationCode(string email, string code, int expireMinutes, string? language = null);

    Task<string> SendPasswordResetEmail(string email, string resetToken, int expireHours, string? language = null);

    Task<string> SendActivationEmail(string email, string activationToken, string? language = null);

    /// <summary>The generic notification template: a title and a text.</summary>
    Task<string> SendNotification(string email, string title, string content, string? language = null);

    /// <summary>Queues each message independently; one result per message, in order. Invalid ones get an error, the others go out.</summary>
    Task<IReadOnlyList<EmailBatchResult>> SendBatch(IReadOnlyList<EmailMessage> messages);
}
