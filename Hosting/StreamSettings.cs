using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting;

/// <summary>
/// The memory stream provider's queues (broadcast and events streams; the hot path does not use streams). Each queue
/// has a pulling agent that asks its queue grain for messages every pulling period, busy or idle, so queues times
/// polls per second is work an idle silo does forever: Orleans' defaults (8 queues, 100 ms) are 80 grain calls a
/// second. Fewer queues cost nothing in latency (their number is <see cref="ClusterSettings.StreamQueueCount"/>, which
/// clients share); a longer period delays broadcasts by up to one period.
/// </summary>
public sealed class StreamSettings : ISettings
{
    /// <summary>Milliseconds a pulling agent waits after finding its queue empty before it asks again.</summary>
    [ConfigurationKeyName("STREAM_PULL_PERIOD_MS")]
    public int PullPeriodMs { get; set; } = 100;

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("STREAM_PULL_PERIOD_MS", PullPeriodMs, 1, 60_000);
    }
}
