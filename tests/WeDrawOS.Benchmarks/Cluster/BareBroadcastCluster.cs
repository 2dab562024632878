using System.Globalization;
using System.Text;
using WeDrawOS.Benchmarks.Baselines;
using WeDrawOS.Benchmarks.Load;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// The broadcast floor: two <see cref="BareBroadcastFloorServer"/> processes, each writing a broadcast to its own
/// sockets, both posted to at once (no backplane, no Redis). Only the broadcast part runs on it.
/// </summary>
public sealed class BareBroadcastCluster : ISystemUnderTest
{
    private readonly ChildProcess[] _servers;
    private readonly int[] _ports;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private BareBroadcastCluster(ChildProcess[] servers, int[] ports)
    {
        _servers = servers;
        _ports = ports;
    }

    public string Name => "bare Kestrel (floor)";

    public IRealtimeProtocol Protocol { get; } = new BareBroadcastProtocol();

    public int Servers => _servers.Length;

    public static async Task<BareBroadcastCluster> StartAsync(CancellationToken cancellationToken)
    {
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var servers = ports.Select(port => ChildProcess.Start(BenchmarkProcess.StartInfo(
            BareBroadcastFloorServer.Command, port.ToString(CultureInfo.InvariantCulture)))).ToArray();
        var cluster = new BareBroadcastCluster(servers, ports);
        try
        {
            for (var i = 0; i < servers.Length; i++)
            {
                var server = servers[i];
                var ready = cluster.Address(i, "/ready");
                await Readiness.WaitAsync("bare server " + i, () => server.HasExited,
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

    public TimeSpan ServersProcessorTime() => _servers.Aggregate(TimeSpan.Zero, (sum, server) => sum + server.ProcessorTime());

    public Task<PostCounts?> PostCountsAsync(CancellationToken cancellationToken) => Task.FromResult<PostCounts?>(null);

    public Uri SocketUri(int server, string userId) => new($"ws://127.0.0.1:{_ports[server].ToString(CultureInfo.InvariantCulture)}/ws");

    /// <summary>Posts the broadcast to both servers at once: each writes it to its own sockets.</summary>
    public Task BroadcastAsync(int number, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, _servers.Length).Select(async server =>
        {
            using var body = new StringContent(LoadPayload.Broadcast(number), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(Address(server, "/broadcast"), body, cancellationToken);
            response.EnsureSuccessStatusCode();
        }));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _http.Dispose();
    }

    private Uri Address(int server, string path) => new($"http://127.0.0.1:{_ports[server].ToString(CultureInfo.InvariantCulture)}{path}");
}
