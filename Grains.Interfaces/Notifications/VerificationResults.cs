namespace WeDrawOS.Grains.Interfaces.Notifications;

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
