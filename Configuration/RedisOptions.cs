using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace WeDrawOS.Configuration;

/// <summary>The Redis connection shared by the cache, and in cluster mode by membership, grain state and reminders.</summary>
public sealed class RedisOptions : ISettings
{
    [ConfigurationKeyName("REDIS_HOST")]
    public string Host { get; set; } = "localhost";

    [ConfigurationKeyName("REDIS_PORT")]
    public int Port { get; set; } = 6379;

    /// <summary>ACL user (Redis 6+); without it the password authenticates the <c>default</c> user.</summary>
    [ConfigurationKeyName("REDIS_USER")]
    public string? User { get; set; }

    [ConfigurationKeyName("REDIS_PASSWORD")]
    public string? Password { get; set; }

    /// <summary>Connect with TLS (Redis's <c>tls-port</c>); the server's certificate must be valid for <see cref="Host"/>.</summary>
    [ConfigurationKeyName("REDIS_TLS")]
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA that issued the Redis server's certificate, when it is not one the system trusts.</summary>
    [ConfigurationKeyName("REDIS_CA_FILE")]
    public string? CaFile { get; set; }

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
        if (!string.IsNullOrEmpty(User) && string.IsNullOrEmpty(Password))
        {
            errors.Add("REDIS_PASSWORD", "is required when REDIS_USER is set");
        }

        if (!string.IsNullOrWhiteSpace(CaFile) && !Tls)
        {
            errors.Add("REDIS_CA_FILE", "is only used with REDIS_TLS=true");
        }
        else if (!string.IsNullOrWhiteSpace(CaFile) && !PemFiles.IsCertificateFile(CaFile))
        {
            errors.Add("REDIS_CA_FILE", $"'{CaFile}' is not a readable PEM certificate file");
        }
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
        if (!string.IsNullOrEmpty(User))
        {
            options.User = User;
        }

        if (!string.IsNullOrEmpty(Password))
        {
            options.Password = Password;
        }

        if (Tls)
        {
            options.Ssl = true;
            options.SslHost = Host;
            if (!string.IsNullOrWhiteSpace(CaFile))
            {
                // Accepts a chain that ends in this CA; the host name must still match.
                options.TrustIssuer(CaFile);
            }
        }

        return options;
    }

    /// <summary>Where Redis is, for logs and health output: never includes the password.</summary>
    public override string ToString() => $"{(Tls ? "rediss://" : "")}{Host}:{Port}/{Database}";
}
