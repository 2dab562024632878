using System.Globalization;
using System.Text;
using WeDrawOS.Benchmarks.Baselines;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>The baseline: two SignalR servers (<see cref="SignalRRedisServer"/> processes) on one Redis backplane.</summary>
public sealed class SignalRCluster : ISystemUnderTest
{
    private readonly ToolServers _servers;
    private readonly RedisServer _redis;
    private readonly HttpClient _http;

    private SignalRCluster(ToolServers servers, RedisServer redis, HttpClient http)
    {
        _servers = servers;
        _redis = redis;
        _http = http;
    }

    public string Name => "SignalR + Redis";

    public IRealtimeProtocol Protocol { get; } = new SignalRProtocol();

    public int Servers => _servers.Count;

    public static async Task<SignalRCluster> StartAsync(RedisServer redis, CancellationToken cancellationToken)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var backplane = $"{redis.Host}:{redis.Port.ToString(CultureInfo.InvariantCulture)}";
            return new SignalRCluster(await ToolServers.StartAsync("SignalR", SignalRRedisServer.Command, [backplane], http, cancellationToken), redis, http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public TimeSpan ServersProcessorTime() => _redis.ProcessorTime() + _servers.ProcessorTime();

    public Task<PostCounts?> PostCountsAsync(CancellationToken cancellationToken) => Task.FromResult<PostCounts?>(null);

    // The baseline checks no token: its connections cost less than this system's, which validates a JWT on each.
    public Uri SocketUri(int server, string userId) => _servers.SocketAddress(server, "/hub");

    public async Task BroadcastAsync(int number, CancellationToken cancellationToken)
    {
        using var body = new StringContent(LoadPayload.Broadcast(number), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(_servers.Address(0, "/broadcast"), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _servers.DisposeAsync();
        _http.Dispose();
    }
}
