using System.Globalization;
using Microsoft.AspNetCore.Builder;
using WeDrawOS.Silo;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A real silo or web front started in-process through its own entry point (<see cref="WebFrontApp"/>,
/// <see cref="SiloApp"/>), configured with the same variables as in production, on free loopback ports.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private bool _stopped;

    /// <summary>The <c>API_KEY</c> the settings helpers give every host (the same as the API tests' keys).</summary>
    public const string ApiKey = "test-api-key-0123456789";

    private TestHost(WebApplication app, Uri baseAddress, string? apiKey)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Operator = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            Operator.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client without credentials, as anyone on the network.</summary>
    public HttpClient Http { get; }

    /// <summary>A client that sends the host's <c>API_KEY</c>: <c>/api/status</c>, health details, the HTTP API.</summary>
    public HttpClient Operator { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Settings for an embedded front that finds no Redis (its port is free and unused).</summary>
    public static Dictionary<string, string> EmbeddedSettings() => new()
    {
        ["CLUSTER_ID"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        ["SILO_PORT"] = Port(FreePort.Next()),
        ["GATEWAY_PORT"] = Port(FreePort.Next()),
        ["REDIS_HOST"] = "127.0.0.1",
        ["REDIS_PORT"] = Port(FreePort.Next()),
        ["REDIS_CONNECT_TIMEOUT_MS"] = "500",
        ["API_KEY"] = ApiKey,
    };

    /// <summary>
    /// A pickup folder for hosts that need one named (outside Development pickup mode requires <c>MAIL_PICKUP_DIR</c>),
    /// shared by the tests: every message file has a name of its own.
    /// </summary>
    public static string PickupFolder { get; } = Path.Combine(Path.GetTempPath(), "wedrawos-test-pickup");

    /// <summary>Settings for an embedded host in Production: <see cref="EmbeddedSettings"/> plus what Production requires.</summary>
    public static Dictionary<string, string> ProductionSettings()
    {
        var settings = EmbeddedSettings();
        settings["JWT_SECRET"] = "production-test-secret-0123456789abcdef";
        settings["MAIL_PICKUP_DIR"] = PickupFolder;
        return settings;
    }

    /// <summary>Settings for a member of a Redis cluster; pass the same ids to every member.</summary>
    public static Dictionary<string, string> ClusterSettings(SharedRedis redis, string clusterId) => ClusterSettings(redis.Host, redis.Port, clusterId);

    /// <summary>Settings for a member of a cluster on a private Redis (one a test stops or freezes).</summary>
    public static Dictionary<string, string> ClusterSettings(RedisServer redis, string clusterId) => ClusterSettings(redis.Host, redis.Port, clusterId);

    private static Dictionary<string, string> ClusterSettings(string redisHost, int redisPort, string clusterId) => new()
    {
        ["CLUSTER_MODE"] = "redis",
        ["CLUSTER_ID"] = clusterId,
        ["SERVICE_ID"] = clusterId,
        ["SILO_PORT"] = Port(FreePort.Next()),
        ["GATEWAY_PORT"] = Port(FreePort.Next()),
        ["REDIS_HOST"] = redisHost,
        ["REDIS_PORT"] = Port(redisPort),
        ["API_KEY"] = ApiKey,
    };

    public static Task<TestHost> StartFrontAsync(IDictionary<string, string> settings, string environment = "Development") =>
        StartAsync(WebFrontApp.Build(Arguments(settings, environment)), settings);

    public static Task<TestHost> StartSiloAsync(IDictionary<string, string> settings, string environment = "Development") =>
        StartAsync(SiloApp.Build(Arguments(settings, environment)), settings);

    public T GetRequiredService<T>() where T : notnull =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(App.Services);

    /// <summary>Stops the host as SIGTERM would: graceful shutdown within its configured timeout.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        Operator.Dispose();
        await App.DisposeAsync();
    }

    private static async Task<TestHost> StartAsync(WebApplication app, IDictionary<string, string> settings)
    {
        await app.StartAsync();
        return new TestHost(app, new Uri(app.Urls.First()), settings.TryGetValue("API_KEY", out var key) ? key : null);
    }

    private static string[] Arguments(IDictionary<string, string> settings, string environment)
    {
        var all = new Dictionary<string, string>(settings);
        all.TryAdd("HTTP_HOST", "127.0.0.1");
        all.TryAdd("HTTP_PORT", "0");
        all.TryAdd("Logging:LogLevel:Default", "Warning");
        return all.Select(kv => $"--{kv.Key}={kv.Value}").Append($"--environment={environment}").ToArray();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
