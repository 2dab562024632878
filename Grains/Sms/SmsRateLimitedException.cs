namespace WeDrawOS.Grains.Sms;

/// <summary>The number has had as many verification codes as its rate limits allow; <see cref="RetryAfter"/> says when the next may go.</summary>
public sealed class SmsRateLimitedException(TimeSpan retryAfter)
    : Exception($"too many verification codes for this number; retry in {Math.Ceiling(retryAfter.TotalSeconds)} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
