using System.Globalization;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Two silo processes on a shared Redis, each on fixed ports so that it can be stopped (SIGTERM) and started again in
/// its place, plus fronts started in this process. Disposing kills the silos.
/// </summary>
internal sealed class TwoSiloCluster : IAsyncDisposable
{
    private readonly SharedRedis _redis;
    private readonly string _clusterId;
    private readonly Dictionary<string, string>[] _settings;
    private readonly HostProcess?[] _silos = new HostProcess?[2];

    private TwoSiloCluster(SharedRedis redis, string clusterId, (string Name, string Value)[] siloSettings)
    {
        _redis = redis;
        _clusterId = clusterId;
        _settings = [SiloSettings(siloSettings), SiloSettings(siloSettings)];
    }

    /// <param name="siloSettings">Variables for both silos beyond the cluster's own.</param>
    public static async Task<TwoSiloCluster> StartAsync(SharedRedis redis, string name, params (string Name, string Value)[] siloSettings)
    {
        var cluster = new TwoSiloCluster(redis, name + "-" + Guid.NewGuid().ToString("N")[..8], siloSettings);
        for (var n = 0; n < 2; n++)
        {
            cluster._silos[n] = HostProcess.Start(typeof(SiloApp).Assembly.Location, cluster._settings[n]);
        }

        for (var n = 0; n < 2; n++)
        {
            await cluster.WaitReadyAsync(n);
        }

        return cluster;
    }

    /// <summary>A front of this cluster, with rate limits far above what the tests send.</summary>
    public Task<TestHost> StartFrontAsync(params (string Name, string Value)[] extra)
    {
        var settings = TestHost.ClusterSettings(_redis, _clusterId);
        settings["API_KEY"] = RealtimeFront.ApiKey;
        settings["JWT_SECRET"] = "cluster-tests-secret-0123456789abcdefgh";
        settings["WS_RATE_BURST"] = "100000";
        settings["WS_RATE_PER_SECOND"] = "100000";
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }

        return TestHost.StartFrontAsync(settings);
    }

    /// <summary>Which of the two silos <paramref name="silo"/> is (by its silo port).</summary>
    public int IndexOf(SiloAddress silo) =>
        Array.FindIndex(_settings, s => int.Parse(s["SILO_PORT"], CultureInfo.InvariantCulture) == silo.Endpoint.Port);

    /// <summary>Stops silo <paramref name="index"/> as a deploy does (SIGTERM, graceful), starts it again and waits until it is ready.</summary>
    public async Task RestartAsync(int index)
    {
        await _silos[index]!.TerminateAsync();
        await _silos[index]!.DisposeAsync();
        _silos[index] = HostProcess.Start(typeof(SiloApp).Assembly.Location, _settings[index]);
        await WaitReadyAsync(index);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private Dictionary<string, string> SiloSettings((string Name, string Value)[] extra)
    {
        var settings = TestHost.ClusterSettings(_redis, _clusterId);
        settings["HTTP_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }

        return settings;
    }

    private Task WaitReadyAsync(int index) =>
        HostProcess.WaitUntilReadyAsync(_silos[index]!, new Uri("http://127.0.0.1:" + _settings[index]["HTTP_PORT"]));
}
