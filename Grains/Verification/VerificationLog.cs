using Microsoft.Extensions.Logging;
using WeDrawOS.Grains.Interfaces.Verification;

namespace WeDrawOS.Grains.Verification;

/// <summary>Verification log lines: purposes and outcomes only, never a code.</summary>
internal static partial class VerificationLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Verification code for {Purpose} queued as notification {NotificationId}")]
    public static partial void Issued(ILogger logger, string purpose, string notificationId);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Verification code for {Purpose} refused by the rate limit for {Seconds} s")]
    public static partial void RateLimited(ILogger logger, string purpose, int seconds);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Verification for {Purpose}: {Result}")]
    public static partial void Verified(ILogger logger, string purpose, VerifyCodeResult result);
}
