using System.Text;
using StackExchange.Redis;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// Checks keys, channels and values against the configured limits before anything is sent, so that bad input
/// gets an <see cref="ArgumentException"/> naming the problem instead of a Redis error or a silent truncation.
/// </summary>
internal sealed class CacheLimits(CacheOptions options, string keyPrefix)
{
    public string KeyPrefix { get; } = keyPrefix;

    /// <summary>Validates <paramref name="key"/> and returns it with the configured prefix.</summary>
    public string Key(string key, string parameter = "key")
    {
        CheckName(key, parameter, "key");
        return KeyPrefix + key;
    }

    public void Channel(string channel)
    {
        CheckName(channel, "channel", "channel");
        if (channel.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException("Channel names must not contain '*': pattern subscriptions are not supported.", nameof(channel));
        }
    }

    public void Value(string key, RedisValue encoded)
    {
        var length = encoded.Length();
        if (length > options.MaxValueBytes)
        {
            throw new ArgumentException(
                $"The value for '{key}' is {length} bytes; the limit is {options.MaxValueBytes} (CACHE_MAX_VALUE_BYTES).", "value");
        }
    }

    public static TimeSpan? Expiry(int? expirySeconds, string parameter = "expirySeconds") => expirySeconds switch
    {
        null => null,
        <= 0 => throw new ArgumentOutOfRangeException(parameter, expirySeconds, "Expiry must be a positive number of seconds."),
        _ => TimeSpan.FromSeconds(expirySeconds.Value),
    };

    private void CheckName(string name, string parameter, string what)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"A cache {what} must not be empty or blank.", parameter);
        }

        // UTF-8 takes at most 3 bytes per UTF-16 char: short names need no counting.
        if (name.Length * 3 <= options.MaxKeyBytes)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > options.MaxKeyBytes)
        {
            // Only the start of the name: enough to find the caller, short enough for a log line.
            throw new ArgumentException(
                $"The cache {what} '{name[..Math.Min(name.Length, 40)]}...' is {bytes} bytes; the limit is {options.MaxKeyBytes} (CACHE_MAX_KEY_BYTES).", parameter);
        }
    }
}
