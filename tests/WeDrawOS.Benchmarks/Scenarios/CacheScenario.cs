using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeDrawOS.Configuration;
using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;


namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// Get/set throughput through <see cref="ICacheService"/> against raw StackExchange.Redis at the same concurrency
/// on the same private redis-server, the memory fallback's throughput, and the switch-over and switch-back times
/// when the server is killed and restarted (and frozen and thawed).
/// </summary>
public sealed class CacheScenario : IScenario
{
    private const int Concurrency = 32;
    private const int KeySpace = 1000;
    private const int Rounds = 15;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);
    private static readonly string Value = new('v', 100);

    public string Name => "cache";

    public string Description => "get/set through the cache service vs raw StackExchange.Redis (32 concurrent callers), memory fallback, switch-over and switch-back times";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var notes = new List<string>();
        await using var server = await RedisServer.StartAsync();
        await using (var raw = await ConnectionMultiplexer.ConnectAsync(Redis(server.Port).ToConfigurationOptions("bench-raw")))
        await using (var service = await ServiceHost.StartAsync(server.Port))
        {
            await service.WaitForAsync(CacheMode.Redis, TimeSpan.FromSeconds(10));
            var db = raw.GetDatabase();
            var cache = service.Cache;
            // Keys exist for the GETs, both under the service's prefix and the raw ones.
            await cache.SetManyAsync(Enumerable.Range(0, KeySpace).Select(i => KeyValuePair.Create($"k{i}", Value)), cancellationToken: cancellationToken);
            await db.StringSetAsync(Enumerable.Range(0, KeySpace).Select(i => KeyValuePair.Create((RedisKey)$"raw:k{i}", (RedisValue)Value)).ToArray());

            // The raw GET reads the reply as a string, as a caller of StackExchange.Redis who wants the value does.
            Func<int, Task> rawGet = async i => GC.KeepAlive((string?)await db.StringGetAsync($"raw:k{i}"));
            Func<int, Task> serviceGet = i => cache.GetAsync<string>($"k{i}");
            Func<int, Task> rawSet = i => db.StringSetAsync($"raw:k{i}", Value, TimeSpan.FromSeconds(3600), When.Always);
            Func<int, Task> serviceSet = i => cache.SetAsync($"k{i}", Value, 3600);
            await MeasureAsync(rawGet, Window, cancellationToken);
            await MeasureAsync(serviceGet, Window, cancellationToken);

            var (rawGets, serviceGets, getRatio) = await CompareAsync(rawGet, serviceGet, cancellationToken);
            var (rawSets, serviceSets, setRatio) = await CompareAsync(rawSet, serviceSet, cancellationToken);
            measurements.Add(new Measurement("raw StackExchange.Redis GET as string", rawGets, "ops/s"));
            measurements.Add(new Measurement("cache service GetAsync<string>", serviceGets, "ops/s", "raw StackExchange.Redis GET as string", getRatio, "≥ 0.9 × raw", getRatio >= 0.9));
            measurements.Add(new Measurement("raw StackExchange.Redis SET EX", rawSets, "ops/s"));
            measurements.Add(new Measurement("cache service SetAsync (expiry)", serviceSets, "ops/s", "raw StackExchange.Redis SET EX", setRatio, "≥ 0.9 × raw", setRatio >= 0.9));

            var over = new List<double>();
            var back = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var killed = Stopwatch.StartNew();
                await server.StopAsync();
                await service.WaitForAsync(CacheMode.MemoryFallback, TimeSpan.FromSeconds(30));
                over.Add(killed.Elapsed.TotalMilliseconds);

                await server.StartAgainAsync();
                var answering = Stopwatch.StartNew();
                await service.WaitForAsync(CacheMode.Redis, TimeSpan.FromSeconds(30));
                back.Add(answering.Elapsed.TotalMilliseconds);
            }

            measurements.Add(new Measurement("switch-over after kill (worst of 3)", over.Max(), "ms", Target: "≤ 1000 ms", Met: over.Max() <= 1000));
            measurements.Add(new Measurement("switch-back after restart (worst of 3)", back.Max(), "ms", Target: "≤ 5000 ms", Met: back.Max() <= 5000));
            notes.Add($"switch-over after kill: {Format(over)} ms; switch-back, timed from the restarted server's first PONG: {Format(back)} ms");

            await server.FreezeAsync();
            var frozen = Stopwatch.StartNew();
            await service.WaitForAsync(CacheMode.MemoryFallback, TimeSpan.FromSeconds(30));
            var frozenOver = frozen.Elapsed.TotalMilliseconds;
            var thawed = Stopwatch.StartNew();
            await server.ThawAsync();
            await service.WaitForAsync(CacheMode.Redis, TimeSpan.FromSeconds(30));
            var thawedBack = thawed.Elapsed.TotalMilliseconds;
            measurements.Add(new Measurement("switch-over after SIGSTOP (silent outage)", frozenOver, "ms", Target: "≤ 1000 ms", Met: frozenOver <= 1000));
            measurements.Add(new Measurement("switch-back after SIGCONT", thawedBack, "ms", Target: "≤ 5000 ms", Met: thawedBack <= 5000));
        }

        await using (var fallback = await ServiceHost.StartAsync(FreePort.Next()))
        {
            await fallback.WaitForAsync(CacheMode.MemoryFallback, TimeSpan.FromSeconds(10));
            var cache = fallback.Cache;
            await cache.SetManyAsync(Enumerable.Range(0, KeySpace).Select(i => KeyValuePair.Create($"k{i}", Value)), cancellationToken: cancellationToken);
            var get = await MeasureAsync(i => cache.GetAsync<string>($"k{i}"), Window, cancellationToken);
            var set = await MeasureAsync(i => cache.SetAsync($"k{i}", Value, 3600), Window, cancellationToken);
            measurements.Add(new Measurement("memory fallback GetAsync", get, "ops/s"));
            measurements.Add(new Measurement("memory fallback SetAsync (expiry)", set, "ops/s"));
        }

        notes.Add($"{Concurrency} concurrent callers, {KeySpace} keys, 100-byte string values, {Rounds} alternating pairs of {Window.TotalMilliseconds:F0} ms windows per operation, medians of the throughputs and of the per-pair ratios; redis-server on loopback started by the scenario");
        return new ScenarioResult(Name, measurements, notes);
    }

    /// <summary>
    /// Alternates the two sides in <see cref="Rounds"/> pairs of windows (which side goes first alternates too) and
    /// returns the median throughputs and the median of the per-pair ratios: the machine is shared, and a ratio taken
    /// from adjacent windows is what survives other processes' load changing under the run.
    /// </summary>
    private static async Task<(double Raw, double Service, double Ratio)> CompareAsync(Func<int, Task> raw, Func<int, Task> service, CancellationToken cancellationToken)
    {
        var raws = new List<double>();
        var services = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            double r, s;
            if (round % 2 == 0)
            {
                r = await MeasureAsync(raw, Window, cancellationToken);
                s = await MeasureAsync(service, Window, cancellationToken);
            }
            else
            {
                s = await MeasureAsync(service, Window, cancellationToken);
                r = await MeasureAsync(raw, Window, cancellationToken);
            }

            raws.Add(r);
            services.Add(s);
            ratios.Add(s / r);
        }

        return (Median(raws), Median(services), Median(ratios));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>Operations per second with <see cref="Concurrency"/> callers looping over the key space for <paramref name="window"/>.</summary>
    private static async Task<double> MeasureAsync(Func<int, Task> operation, TimeSpan window, CancellationToken cancellationToken)
    {
        long done = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(w => Task.Run(async () =>
        {
            var i = w * 31;
            long mine = 0;
            while (watch.Elapsed < window && !cancellationToken.IsCancellationRequested)
            {
                await operation(i++ % KeySpace);
                mine++;
            }

            Interlocked.Add(ref done, mine);
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        return done / watch.Elapsed.TotalSeconds;
    }

    private static string Format(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));

    private static RedisOptions Redis(int port) => new() { Host = "127.0.0.1", Port = port, KeyPrefix = "bench:", ConnectTimeoutMs = 500 };

    /// <summary>A cache service wired as in a silo or front, without the rest of the host.</summary>
    private sealed class ServiceHost : IAsyncDisposable
    {
        private readonly ServiceProvider _provider;
        private readonly IHostedService[] _hosted;

        private ServiceHost(ServiceProvider provider, IHostedService[] hosted)
        {
            _provider = provider;
            _hosted = hosted;
            Cache = provider.GetRequiredService<ICacheService>();
        }

        public ICacheService Cache { get; }

        public static async Task<ServiceHost> StartAsync(int port)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(Options.Create(Redis(port)));
            services.AddSingleton(Options.Create(new CacheOptions()));
            services.AddWeDrawOSCache();
            var provider = services.BuildServiceProvider();
            var hosted = provider.GetServices<IHostedService>().ToArray();
            foreach (var service in hosted)
            {
                await service.StartAsync(CancellationToken.None);
            }

            return new ServiceHost(provider, hosted);
        }

        public async Task WaitForAsync(CacheMode mode, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            var service = _provider.GetRequiredService<CacheService>();
            while (Cache.Mode != mode || service.Starting)
            {
                if (watch.Elapsed > timeout)
                {
                    throw new TimeoutException($"cache not in {mode} after {timeout.TotalSeconds} s");
                }

                // A 1 ms poll: the switch times are read from it.
                await Task.Delay(1);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var service in _hosted.Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }

            await _provider.DisposeAsync();
        }
    }
}
