using WeDrawOS.Grains.Interfaces.Verification;

namespace WeDrawOS.Notifications.Verification;

/// <summary>
/// Codes a caller generated itself (<c>/api/sms/verification-code</c>, <c>/api/email/verification-code</c>): they go
/// through the recipient's verification grain, so they count against its rate limits whoever generated them (SMS
/// pumping, mail bombing), whichever channel they take.
/// </summary>
public static class CallerCodes
{
    /// <summary>Queues the code for <paramref name="recipientKey"/> (a notifier key) and returns the notification id.</summary>
    /// <exception cref="VerificationRateLimitedException">when the recipient's limits are reached (nothing is queued).</exception>
    public static async Task<string> SendAsync(IGrainFactory grains, string recipientKey, string code, int expireMinutes, string? language)
    {
        var result = await grains.GetGrain<IVerificationGrain>(recipientKey).SendCallerCode(code, expireMinutes, language);
        return result.Accepted ? result.NotificationId! : throw new VerificationRateLimitedException(result.RetryAfter ?? TimeSpan.FromMinutes(1));
    }
}
