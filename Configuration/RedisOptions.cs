using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using WeDrawOS.Grains.Hosting.Configuration;

namespace WeDrawOS.Grains.Hosting;

/// <summary>The Redis connection shared by the cache, and in cluster mode by membership, grain state and reminders.</summary>
public sealed class RedisOptions : ISettings
{
    [ConfigurationKeyName("REDIS_HOST")]
    public string Host { get; set; } = "localhost";

    [ConfigurationKeyName("REDIS_PORT")]
    public int Port { get; set; } = 6379;

    [ConfigurationKeyName("REDIS_PASSWORD")]
    public string? Password { get; set; }

    [ConfigurationKeyName("REDIS_DB")]
    public int Database { get; set; }

    /// <summary>Connection attempts before a connect is given up (the multiplexer keeps reconnecting in the background).</summary>
    [ConfigurationKeyName("REDIS_MAX_RETRIES")]
    public int MaxRetries { get; set; } = 3;

    [ConfigurationKeyName("REDIS_CONNECT_TIMEOUT_MS")]
    public int ConnectTimeoutMs { get; set; } = 2000;

    [ConfigurationKeyName("REDIS_COMMAND_TIMEOUT_MS")]
    public int CommandTimeoutMs { get; set; } = 2000;

    /// <summary>Prefix of every cache key, so several systems can share one Redis.</summary>
    [ConfigurationKeyName("REDIS_KEY_PREFIX")]
    public string KeyPrefix { get; set; } = "wedrawos:";

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("REDIS_HOST", "must not be empty");
        }

        errors.Range("REDIS_PORT", Port, 1, 65535);
        errors.Range("REDIS_DB", Database, 0, 15);
        errors.Range("REDIS_MAX_RETRIES", MaxRetries, 0, 100);
        errors.Range("REDIS_CONNECT_TIMEOUT_MS", ConnectTimeoutMs, 100, 60_000);
        errors.Range("REDIS_COMMAND_TIMEOUT_MS", CommandTimeoutMs, 50, 60_000);
    }

    /// <summary>Multiplexer settings: never abort on a failed connect, so the process starts and reconnects by itself.</summary>
    public ConfigurationOptions ToConfigurationOptions(string clientName)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectRetry = MaxRetries,
            ConnectTimeout = ConnectTimeoutMs,
            SyncTimeout = CommandTimeoutMs,
            AsyncTimeout = CommandTimeoutMs,
            DefaultDatabase = Database,
            ClientName = clientName,
        };
        options.EndPoints.Add(Host, Port);
        if (!string.IsNullOrEmpty(Password))
        {
            options.Password = Password;
        }

        return options;
    }

    /// <summary>Where Redis is, for logs and health output: never includes the password.</summary>
    public override string ToString() => $"{Host}:{Port}/{Database}";
}
