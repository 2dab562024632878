using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Notifications.Sms;

/// <summary>Which SMS providers to use, in failover order, and how the failover behaves. <c>mock</c> (the default) sends nothing.</summary>
public sealed class SmsOptions : ISettings
{
    public static readonly string[] KnownProviders = ["mock", "aliyun", "tencent", "twilio"];

    /// <summary>Comma-separated provider names in the order they are tried, e.g. <c>aliyun,tencent,twilio</c>.</summary>
    [ConfigurationKeyName("SMS_PROVIDERS")]
    public string Providers { get; set; } = "mock";

    /// <summary>Region (ISO 3166 two letters) assumed for numbers written without a country code.</summary>
    [ConfigurationKeyName("SMS_DEFAULT_REGION")]
    public string DefaultRegion { get; set; } = "CN";

    /// <summary>Time limit of one HTTP call to a provider; a timeout counts as a transient failure and fails over.</summary>
    [ConfigurationKeyName("SMS_PROVIDER_TIMEOUT_MS")]
    public int ProviderTimeoutMs { get; set; } = 10_000;

    /// <summary>Consecutive failures of a provider that open its circuit.</summary>
    [ConfigurationKeyName("SMS_CIRCUIT_FAILURES")]
    public int CircuitFailures { get; set; } = 5;

    /// <summary>How long an open circuit skips its provider before one trial request is let through.</summary>
    [ConfigurationKeyName("SMS_CIRCUIT_BREAK_SECONDS")]
    public int CircuitBreakSeconds { get; set; } = 30;

    public IReadOnlyList<string> ProviderOrder =>
        Providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    public bool MockMode => ProviderOrder is ["mock"];

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        var order = ProviderOrder;
        if (order.Count == 0)
        {
            errors.Add("SMS_PROVIDERS", "must name at least one provider");
        }

        foreach (var unknown in order.Except(KnownProviders))
        {
            errors.Add("SMS_PROVIDERS", $"unknown provider '{unknown}'; expected {string.Join(", ", KnownProviders)}");
        }

        if (!PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(DefaultRegion.ToUpperInvariant()))
        {
            errors.Add("SMS_DEFAULT_REGION", $"'{DefaultRegion}' is not a region with phone numbers; expected two letters such as CN or US");
        }

        errors.Range("SMS_PROVIDER_TIMEOUT_MS", ProviderTimeoutMs, 100, 120_000);
        errors.Range("SMS_CIRCUIT_FAILURES", CircuitFailures, 1, 1000);
        errors.Range("SMS_CIRCUIT_BREAK_SECONDS", CircuitBreakSeconds, 1, 3600);
    }
}
