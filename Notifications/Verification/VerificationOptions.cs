using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Notifications.Verification;

/// <summary>Lifetime, attempts and per-recipient issue limits of verification codes (SMS and e-mail alike).</summary>
public sealed class VerificationOptions : ISettings
{
    /// <summary>Minutes a code stays valid; at most 10, so a leaked code is useful only briefly.</summary>
    [ConfigurationKeyName("VERIFICATION_CODE_TTL_MINUTES")]
    public int CodeLifetimeMinutes { get; set; } = 5;

    /// <summary>Wrong guesses allowed before the code is burnt.</summary>
    [ConfigurationKeyName("VERIFICATION_MAX_ATTEMPTS")]
    public int MaxAttempts { get; set; } = 5;

    [ConfigurationKeyName("VERIFICATION_RATE_PER_MINUTE")]
    public int PerMinute { get; set; } = 1;

    [ConfigurationKeyName("VERIFICATION_RATE_PER_HOUR")]
    public int PerHour { get; set; } = 5;

    [ConfigurationKeyName("VERIFICATION_RATE_PER_DAY")]
    public int PerDay { get; set; } = 10;

    public TimeSpan CodeLifetime => TimeSpan.FromMinutes(CodeLifetimeMinutes);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("VERIFICATION_CODE_TTL_MINUTES", CodeLifetimeMinutes, 1, 10);
        errors.Range("VERIFICATION_MAX_ATTEMPTS", MaxAttempts, 1, 20);
        errors.Range("VERIFICATION_RATE_PER_MINUTE", PerMinute, 1, 1000);
        errors.Range("VERIFICATION_RATE_PER_HOUR", PerHour, 1, 10_000);
        errors.Range("VERIFICATION_RATE_PER_DAY", PerDay, 1, 100_000);
    }
}
