using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Notifications;

/// <summary>
/// Outbox behaviour shared by e-mail and SMS: retry policy, how much each recipient's outbox keeps, and how
/// wide a batch fans out.
/// </summary>
public sealed class NotificationOptions : ISettings
{
    /// <summary>Attempts per notification, the first one included; after the last transient failure it is <c>failed</c>.</summary>
    [ConfigurationKeyName("NOTIFY_MAX_ATTEMPTS")]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Delay before the first retry; each further retry doubles it, up to <see cref="RetryMaxMs"/>.</summary>
    [ConfigurationKeyName("NOTIFY_RETRY_BASE_MS")]
    public int RetryBaseMs { get; set; } = 30_000;

    [ConfigurationKeyName("NOTIFY_RETRY_MAX_MS")]
    public int RetryMaxMs { get; set; } = 3_600_000;

    /// <summary>
    /// Period of the reminder that wakes an outbox with pending notifications (for example after its silo died).
    /// Orleans' minimum reminder period is lowered to this value when it is below one minute.
    /// </summary>
    [ConfigurationKeyName("NOTIFY_REMINDER_PERIOD_SECONDS")]
    public int ReminderPeriodSeconds { get; set; } = 60;

    /// <summary>Finished notifications (sent or failed) kept per recipient; the oldest are dropped first.</summary>
    [ConfigurationKeyName("NOTIFY_HISTORY_LIMIT")]
    public int HistoryLimit { get; set; } = 100;

    /// <summary>Notifications waiting per recipient; more are refused until some are sent, so no outbox grows without bound.</summary>
    [ConfigurationKeyName("NOTIFY_PENDING_LIMIT")]
    public int PendingLimit { get; set; } = 1000;

    /// <summary>Outboxes one batch fans out to at the same time.</summary>
    [ConfigurationKeyName("NOTIFY_BATCH_CONCURRENCY")]
    public int BatchConcurrency { get; set; } = 64;

    /// <summary>Largest number of recipients in one batch request.</summary>
    [ConfigurationKeyName("NOTIFY_BATCH_MAX")]
    public int BatchMax { get; set; } = 10_000;

    public TimeSpan ReminderPeriod => TimeSpan.FromSeconds(ReminderPeriodSeconds);

    /// <summary>Exponential back-off: base × 2^(retry-1), capped, never shorter than what the sender asked for.</summary>
    public TimeSpan RetryDelay(int attemptsMade, TimeSpan? requested)
    {
        var exponent = Math.Min(Math.Max(attemptsMade - 1, 0), 30);
        var delay = Math.Min((double)RetryBaseMs * Math.Pow(2, exponent), RetryMaxMs);
        var chosen = TimeSpan.FromMilliseconds(delay);
        return requested is { } asked && asked > chosen ? asked : chosen;
    }

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("NOTIFY_MAX_ATTEMPTS", MaxAttempts, 1, 100);
        errors.Range("NOTIFY_RETRY_BASE_MS", RetryBaseMs, 10, 86_400_000);
        errors.Range("NOTIFY_RETRY_MAX_MS", RetryMaxMs, 10, 86_400_000);
        if (RetryMaxMs < RetryBaseMs)
        {
            errors.Add("NOTIFY_RETRY_MAX_MS", "must not be smaller than NOTIFY_RETRY_BASE_MS");
        }

        errors.Range("NOTIFY_REMINDER_PERIOD_SECONDS", ReminderPeriodSeconds, 1, 86_400);
        errors.Range("NOTIFY_HISTORY_LIMIT", HistoryLimit, 1, 10_000);
        errors.Range("NOTIFY_PENDING_LIMIT", PendingLimit, 1, 100_000);
        errors.Range("NOTIFY_BATCH_CONCURRENCY", BatchConcurrency, 1, 1024);
        errors.Range("NOTIFY_BATCH_MAX", BatchMax, 1, 100_000);
    }
}
