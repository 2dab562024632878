using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;
using WeDrawOS.Services.Bridge;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// Limits and behaviour of the cache service. Where Redis is comes from <see cref="RedisOptions"/>;
/// these settings are about what the service accepts and how it behaves while Redis is away.
/// </summary>
public sealed class CacheOptions : ISettings
{
    /// <summary>Most entries the in-memory fallback holds; the least recently used go first.</summary>
    [ConfigurationKeyName("CACHE_FALLBACK_MAX_ENTRIES")]
    public int FallbackMaxEntries { get; set; } = 10_000;

    /// <summary>Most bytes (keys and values) the in-memory fallback holds.</summary>
    [ConfigurationKeyName("CACHE_FALLBACK_MAX_BYTES")]
    public long FallbackMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Longest key accepted, in UTF-8 bytes, without the prefix.</summary>
    [ConfigurationKeyName("CACHE_MAX_KEY_BYTES")]
    public int MaxKeyBytes { get; set; } = 1024;

    /// <summary>Largest value (or published message) accepted, in UTF-8 bytes once serialized.</summary>
    [ConfigurationKeyName("CACHE_MAX_VALUE_BYTES")]
    public int MaxValueBytes { get; set; } = 1024 * 1024;

    /// <summary>How often Redis is pinged, on Redis (to notice a silent outage) and on the fallback (to notice its return).</summary>
    [ConfigurationKeyName("CACHE_PROBE_INTERVAL_MS")]
    public int ProbeIntervalMs { get; set; } = 250;

    /// <summary>
    /// Whether writes made on the fallback are written to Redis when it returns (latest value per key, deletes,
    /// counter increments as deltas). When false they are dropped and Redis keeps what it had.
    /// </summary>
    [ConfigurationKeyName("CACHE_REPLAY_OUTAGE_WRITES")]
    public bool ReplayOutageWrites { get; set; } = true;

    /// <summary>Comma-separated Redis channels whose messages are bridged to WebSocket clients.</summary>
    [ConfigurationKeyName("CACHE_BRIDGE_CHANNELS")]
    public string BridgeChannels { get; set; } = "notifications";

    /// <summary>
    /// Key of the HMAC-SHA256 that bridged messages must carry (<c>{"sig","body"}</c>, see docs/cache.md). When set,
    /// unsigned and wrongly signed messages are dropped; unset, every message on the channels is trusted.
    /// </summary>
    [ConfigurationKeyName("CACHE_BRIDGE_SECRET")]
    public string? BridgeSecret { get; set; }

    /// <summary><see cref="BridgeChannels"/> split and trimmed.</summary>
    public IReadOnlyList<string> BridgeChannelList =>
        BridgeChannels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("CACHE_FALLBACK_MAX_ENTRIES", FallbackMaxEntries, 1, 10_000_000);
        errors.Range("CACHE_FALLBACK_MAX_BYTES", FallbackMaxBytes, 1024, 64L * 1024 * 1024 * 1024);
        errors.Range("CACHE_MAX_KEY_BYTES", MaxKeyBytes, 1, 512 * 1024);
        errors.Range("CACHE_MAX_VALUE_BYTES", MaxValueBytes, 1, 512 * 1024 * 1024);
        // The switch promises (away: within 1 s; back: within 5 s) need a probe well inside them.
        errors.Range("CACHE_PROBE_INTERVAL_MS", ProbeIntervalMs, 50, 4000);
        if (MaxValueBytes > FallbackMaxBytes)
        {
            errors.Add("CACHE_MAX_VALUE_BYTES", "must not exceed CACHE_FALLBACK_MAX_BYTES, or the fallback could not hold one value");
        }

        if (BridgeSecret is { Length: > 0 and < BridgeSignature.MinimumSecretLength })
        {
            errors.Add("CACHE_BRIDGE_SECRET", $"must be at least {BridgeSignature.MinimumSecretLength} characters long");
        }

        foreach (var channel in BridgeChannelList)
        {
            if (channel.Any(char.IsWhiteSpace) || channel.Contains('*', StringComparison.Ordinal))
            {
                errors.Add("CACHE_BRIDGE_CHANNELS", $"'{channel}' is not a channel name (no spaces or patterns)");
            }
        }
    }
}
