using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeDrawOS.Configuration;
using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Caching;

/// <summary>
/// One cache service as a process has it (its own multiplexer, wired by <c>AddWeDrawOSCache</c>, hosted services
/// started), pointed at a given Redis with a key prefix of its own, so tests sharing a Redis do not meet.
/// </summary>
internal sealed class CacheHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IHostedService[] _hosted;

    private CacheHarness(ServiceProvider provider, IHostedService[] hosted, string prefix)
    {
        _provider = provider;
        _hosted = hosted;
        Prefix = prefix;
        Cache = provider.GetRequiredService<ICacheService>();
        Service = provider.GetRequiredService<CacheService>();
    }

    public ICacheService Cache { get; }

    public CacheService Service { get; }

    public string Prefix { get; }

    public static async Task<CacheHarness> StartAsync(
        string host, int port, string? prefix = null, Action<CacheOptions>? configure = null, FakeLogCollector? logs = null, string? password = null)
    {
        prefix ??= "test-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var cacheOptions = new CacheOptions();
        configure?.Invoke(cacheOptions);
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs));
            }
        });
        services.AddSingleton(Options.Create(new RedisOptions
        {
            Host = host,
            Port = port,
            KeyPrefix = prefix,
            ConnectTimeoutMs = 500,
            CommandTimeoutMs = 1000,
            Password = password,
        }));
        services.AddSingleton(Options.Create(cacheOptions));
        services.AddWeDrawOSCache();
        var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new CacheHarness(provider, hosted, prefix);
    }

    /// <summary>Waits (polling, with a generous deadline) until the service is in <paramref name="mode"/>.</summary>
    public Task WaitForModeAsync(CacheMode mode, int timeoutSeconds = 20) =>
        Eventually.TrueAsync(() => Task.FromResult(Cache.Mode == mode && !Service.Starting), TimeSpan.FromSeconds(timeoutSeconds), $"the cache reaching {mode}");

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }
}
