using System.Globalization;
using System.Text;
using WeDrawOS.Benchmarks.Baselines;
using WeDrawOS.Benchmarks.Load;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>The baseline: two SignalR servers (<see cref="SignalRRedisServer"/> processes) on one Redis backplane.</summary>
public sealed class SignalRCluster : ISystemUnderTest
{
    private readonly ChildProcess[] _servers;
    private readonly int[] _ports;
    private readonly RedisServer _redis;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SignalRCluster(ChildProcess[] servers, int[] ports, RedisServer redis)
    {
        _redis = redis;
        _servers = servers;
        _ports = ports;
    }

    public string Name => "SignalR + Redis";

    public IRealtimeProtocol Protocol { get; } = new SignalRProtocol();

    public int Servers => _servers.Length;

    public static async Task<SignalRCluster> StartAsync(RedisServer redis, CancellationToken cancellationToken)
    {
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var servers = ports.Select(port => ChildProcess.Start(BenchmarkProcess.StartInfo(
            SignalRRedisServer.Command, port.ToString(CultureInfo.InvariantCulture), $"{redis.Host}:{redis.Port.ToString(CultureInfo.InvariantCulture)}"))).ToArray();
        var cluster = new SignalRCluster(servers, ports, redis);
        try
        {
            for (var i = 0; i < servers.Length; i++)
            {
                var server = servers[i];
                var ready = new Uri($"http://127.0.0.1:{ports[i].ToString(CultureInfo.InvariantCulture)}/ready");
                await Readiness.WaitAsync("SignalR server " + i, () => server.HasExited,
                    async () => (await cluster._http.GetAsync(ready, cancellationToken)).IsSuccessStatusCode, cancellationToken);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public TimeSpan ServersProcessorTime() => _servers.Aggregate(_redis.ProcessorTime(), (sum, server) => sum + server.ProcessorTime());

    public Task<PostCounts?> PostCountsAsync(CancellationToken cancellationToken) => Task.FromResult<PostCounts?>(null);

    // The baseline checks no token: its connections cost less than this system's, which validates a JWT on each.
    public Uri SocketUri(int server, string userId) => new($"ws://127.0.0.1:{_ports[server].ToString(CultureInfo.InvariantCulture)}/hub");

    public async Task BroadcastAsync(int number, CancellationToken cancellationToken)
    {
        using var body = new StringContent(LoadPayload.Broadcast(number), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{_ports[0].ToString(CultureInfo.InvariantCulture)}/broadcast"), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _http.Dispose();
    }
}
