using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Grains.Hosting.Configuration;

namespace WeDrawOS.Grains.Sms;

/// <summary>Which SMS providers to use, in failover order. <c>mock</c> (the default) sends nothing.</summary>
public sealed class SmsOptions : ISettings
{
    public static readonly string[] KnownProviders = ["mock", "aliyun", "tencent", "twilio"];

    /// <summary>Comma-separated provider names in the order they are tried, e.g. <c>aliyun,tencent,twilio</c>.</summary>
    [ConfigurationKeyName("SMS_PROVIDERS")]
    public string Providers { get; set; } = "mock";

    public IReadOnlyList<string> ProviderOrder =>
        Providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant())
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
    }
}
