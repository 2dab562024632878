namespace WeDrawOS.Notifications.Verification;

/// <summary>
/// The recipient (an SMS number or an e-mail address) has had as many verification codes as its rate limits
/// (<c>VERIFICATION_RATE_*</c>) allow; <see cref="RetryAfter"/> says when the next may go.
/// </summary>
public sealed class VerificationRateLimitedException(TimeSpan retryAfter)
    : Exception($"too many verification codes for this recipient; retry in {Math.Ceiling(retryAfter.TotalSeconds)} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
