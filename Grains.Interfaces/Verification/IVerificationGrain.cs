using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Grains.Interfaces.Verification;

/// <summary>
/// Verification codes of one recipient (key: the notifier key, e.g. <c>sms:+8613800138000</c>): a code per
/// purpose, stored as a salted hash with expiry, attempt count and one-time use, and the recipient's
/// rate limits for issuing codes. Codes are delivered through the recipient's notifier grain.
/// </summary>
public interface IVerificationGrain : IGrainWithStringKey
{
    /// <summary>Generates a new code for <paramref name="purpose"/>, replacing any previous one, and queues it for sending.</summary>
    [ResponseTimeout(NotificationCallTimeout.Value)]
    Task<IssueCodeResult> IssueCode(string purpose, string? language);

    /// <summary>Checks a code; a valid code is used up.</summary>
    [ResponseTimeout(NotificationCallTimeout.Value)]
    Task<VerifyCodeResult> VerifyCode(string purpose, string code);

    /// <summary>
    /// Queues a code the caller generated itself (the original <c>SendVerificationCode(phone, code, minutes)</c>)
    /// under the same per-recipient rate limits as <see cref="IssueCode"/>. The code is only sent, not kept:
    /// the caller verifies it.
    /// </summary>
    [ResponseTimeout(NotificationCallTimeout.Value)]
    Task<IssueCodeResult> SendCallerCode(string code, int expireMinutes, string? language);
}

/// <summary>Outcome of issuing a code: accepted, or refused by the recipient's rate limit.</summary>
[GenerateSerializer, Immutable, Alias("wedrawos.IssueCodeResult")]
public sealed record IssueCodeResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] TimeSpan? RetryAfter,
    [property: Id(2)] string? NotificationId);

/// <summary>The answers of <c>POST /api/verification/verify</c>.</summary>
public enum VerifyCodeResult
{
    Valid,
    Invalid,
    Expired,
    TooManyAttempts,
}
