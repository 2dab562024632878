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

    private TestHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

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
    };

    /// <summary>Settings for a member of a Redis cluster; pass the same ids to every member.</summary>
    public static Dictionary<string, string> ClusterSettings(SharedRedis redis, string clusterId) => new()
    {
        ["CLUSTER_MODE"] = "redis",
        ["CLUSTER_ID"] = clusterId,
        ["SERVICE_ID"] = clusterId,
        ["SILO_PORT"] = Port(FreePort.Next()),
        ["GATEWAY_PORT"] = Port(FreePort.Next()),
        ["REDIS_HOST"] = redis.Host,
        ["REDIS_PORT"] = Port(redis.Port),
    };

    public static Task<TestHost> StartFrontAsync(IDictionary<string, string> settings, string environment = "Development") =>
        StartAsync(WebFrontApp.Build(Arguments(settings, environment)));

    public static Task<TestHost> StartSiloAsync(IDictionary<string, string> settings, string environment = "Development") =>
        StartAsync(SiloApp.Build(Arguments(settings, environment)));

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
        await App.DisposeAsync();
    }

    private static async Task<TestHost> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return new TestHost(app, new Uri(app.Urls.First()));
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
