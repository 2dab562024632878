using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace WeDrawOS.Configuration;

/// <summary>
/// How a silo, a front or any other Orleans client finds the cluster and talks to it. Every member of one cluster
/// must agree on these values; they are what <c>WeDrawOS.Client</c> reads besides the Redis connection.
/// </summary>
public sealed class ClusterSettings : ISettings
{
    [ConfigurationKeyName("CLUSTER_MODE")]
    public ClusterMode Mode { get; set; } = ClusterMode.Embedded;

    [ConfigurationKeyName("CLUSTER_ID")]
    public string ClusterId { get; set; } = "wedrawos";

    /// <summary>Also scopes stored state: a silo of another service id never reads this one's grains.</summary>
    [ConfigurationKeyName("SERVICE_ID")]
    public string ServiceId { get; set; } = "wedrawos-core";

    /// <summary>
    /// Port on which a silo accepts Orleans clients. Clients use it only in embedded mode, where the co-hosted silo
    /// is found on localhost; in cluster mode they learn the gateways from Redis membership.
    /// </summary>
    [ConfigurationKeyName("GATEWAY_PORT")]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a client (a front, or a service using <c>WeDrawOS.Client</c>) waits for the answer to a grain call.
    /// Silos break their calls to a silo declared dead, but a client is not told: a call whose request or answer
    /// was lost with the dead silo's connection waits this long before the caller gets a timeout and re-sends.
    /// Orleans' default is 30 s; calls that may legitimately run longer say so with <c>[ResponseTimeout]</c> on their
    /// interface method.
    /// </summary>
    [ConfigurationKeyName("FRONT_CALL_TIMEOUT_MS")]
    public int CallTimeoutMs { get; set; } = 5000;

    /// <summary>
    /// Queues of the memory stream provider (broadcast and events streams). A stream is mapped to a queue by hashing,
    /// so every silo and client of a cluster must use the same number or a subscriber listens on the wrong queue.
    /// </summary>
    [ConfigurationKeyName("STREAM_QUEUE_COUNT")]
    public int StreamQueueCount { get; set; } = 2;

    public TimeSpan CallTimeout => TimeSpan.FromMilliseconds(CallTimeoutMs);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("GATEWAY_PORT", GatewayPort, 0, 65535);
        errors.Range("FRONT_CALL_TIMEOUT_MS", CallTimeoutMs, 1000, 600_000);
        errors.Range("STREAM_QUEUE_COUNT", StreamQueueCount, 1, 256);
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            errors.Add("CLUSTER_ID", "CLUSTER_ID and SERVICE_ID must not be empty");
        }
    }
}
