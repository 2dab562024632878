using System.Text;
using WeDrawOS.Benchmarks.Baselines;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// The broadcast floor: two <see cref="BareBroadcastFloorServer"/> processes, each writing a broadcast to its own
/// sockets, both posted to at once (no backplane, no Redis). Only the broadcast part runs on it.
/// </summary>
public sealed class BareBroadcastCluster : ISystemUnderTest
{
    private readonly ToolServers _servers;
    private readonly HttpClient _http;

    private BareBroadcastCluster(ToolServers servers, HttpClient http)
    {
        _servers = servers;
        _http = http;
    }

    public string Name => "bare Kestrel (floor)";

    public IRealtimeProtocol Protocol { get; } = new BareBroadcastProtocol();

    public int Servers => _servers.Count;

    public static async Task<BareBroadcastCluster> StartAsync(CancellationToken cancellationToken)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return new BareBroadcastCluster(await ToolServers.StartAsync("bare", BareBroadcastFloorServer.Command, [], http, cancellationToken), http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public TimeSpan ServersProcessorTime() => _servers.ProcessorTime();

    public Task<PostCounts?> PostCountsAsync(CancellationToken cancellationToken) => Task.FromResult<PostCounts?>(null);

    public Uri SocketUri(int server, string userId) => _servers.SocketAddress(server, "/ws");

    /// <summary>Posts the broadcast to both servers at once: each writes it to its own sockets.</summary>
    public Task BroadcastAsync(int number, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, _servers.Count).Select(async server =>
        {
            using var body = new StringContent(LoadPayload.Broadcast(number), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(_servers.Address(server, "/broadcast"), body, cancellationToken);
            response.EnsureSuccessStatusCode();
        }));

    public async ValueTask DisposeAsync()
    {
        await _servers.DisposeAsync();
        _http.Dispose();
    }
}
