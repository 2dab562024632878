using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeDrawOS.Front.Auth;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;
using WeDrawOS.WebFront;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// This system in cluster mode: two silo processes and two front processes on Redis clustering and storage, each
/// started from its built assembly as in production. Sockets authenticate with tokens signed by the fronts' secret.
/// </summary>
public sealed class WeDrawOSCluster : ISystemUnderTest
{
    private const string JwtSecret = "cluster-benchmark-secret-0123456789abcdef";
    private const string ApiKey = "cluster-benchmark-api-key";

    private readonly HostProcess[] _silos;
    private readonly HostProcess[] _fronts;
    private readonly int[] _ports;
    private readonly RedisServer _redis;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TokenService _tokens = new(Options.Create(new AuthOptions { JwtSecret = JwtSecret }), NullLogger<TokenService>.Instance);

    private WeDrawOSCluster(HostProcess[] silos, HostProcess[] fronts, int[] ports, RedisServer redis, string name)
    {
        Name = name;
        _redis = redis;
        _silos = silos;
        _fronts = fronts;
        _ports = ports;
        _http.DefaultRequestHeaders.Add(AuthSchemes.ApiKeyHeader, ApiKey);
    }

    public string Name { get; }

    public IRealtimeProtocol Protocol { get; } = new WeDrawOSProtocol();

    public int Servers => _fronts.Length;

    /// <summary>
    /// Two silo processes and two fronts, or with <paramref name="coHosted"/> two fronts that are the cluster's silos
    /// (<c>FRONT_HOSTS_SILO</c>).
    /// </summary>
    public static async Task<WeDrawOSCluster> StartAsync(RedisServer redis, bool coHosted, CancellationToken cancellationToken)
    {
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Member() => MemberSettings(redis, clusterId);

        var silos = coHosted ? [] : new[] { Member(), Member() }.Select(settings => HostProcess.Start(typeof(SiloApp).Assembly.Location, settings)).ToArray();
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var fronts = ports.Select(port =>
        {
            var settings = Member();
            settings["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
            settings["JWT_SECRET"] = JwtSecret;
            settings["API_KEY"] = ApiKey;
            // Limits meant for abusive clients raised out of the way, as for the baseline, which has none.
            settings["WS_MAX_CONNECTIONS"] = "20000";
            settings["WS_RATE_BURST"] = "1000000";
            settings["WS_RATE_PER_SECOND"] = "1000000";
            settings["WS_SEND_QUEUE_LIMIT"] = "100000";
            settings["FRONT_HOSTS_SILO"] = coHosted ? "true" : "false";
            return HostProcess.Start(typeof(WebFrontApp).Assembly.Location, settings);
        }).ToArray();
        var cluster = new WeDrawOSCluster(silos, fronts, ports, redis, coHosted ? "WeDrawOS co-hosted" : "WeDrawOS cluster");
        try
        {
            // Ready when each front serves and sees both silos, so that grains are placed on both.
            for (var i = 0; i < fronts.Length; i++)
            {
                var front = fronts[i];
                var status = new Uri($"http://127.0.0.1:{ports[i].ToString(CultureInfo.InvariantCulture)}/api/status");
                await Readiness.WaitAsync("front " + i, () => front.HasExited || silos.Any(s => s.HasExited), async () =>
                {
                    using var response = await cluster._http.GetAsync(status, cancellationToken);
                    return response.IsSuccessStatusCode
                        && (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("silos").GetArrayLength() == (coHosted ? fronts.Length : silos.Length);
                }, cancellationToken);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>
    /// A front of the cluster in this process, in Production, on a free loopback port: <paramref name="settings"/> (a
    /// member's and the scenario's own) plus what Production requires (an API key, a pickup folder: nothing here sends
    /// mail). Errors only in the log.
    /// </summary>
    public static async Task<WebApplication> StartFrontInProcessAsync(Dictionary<string, string> settings, string jwtSecret, CancellationToken cancellationToken)
    {
        settings["HTTP_HOST"] = "127.0.0.1";
        settings["HTTP_PORT"] = "0";
        settings["JWT_SECRET"] = jwtSecret;
        settings["API_KEY"] = Guid.NewGuid().ToString("N");
        settings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        settings["Logging:LogLevel:Default"] = "Error";
        var front = WebFrontApp.Build(settings.Select(kv => $"--{kv.Key}={kv.Value}").Append("--environment=Production").ToArray());
        try
        {
            await front.StartAsync(cancellationToken);
            return front;
        }
        catch
        {
            await front.DisposeAsync();
            throw;
        }
    }

    /// <summary>Settings of one silo or front of a cluster on <paramref name="redis"/>: each call gives new free ports.</summary>
    public static Dictionary<string, string> MemberSettings(RedisServer redis, string clusterId) => new()
    {
        ["CLUSTER_MODE"] = "redis",
        ["CLUSTER_ID"] = clusterId,
        ["SERVICE_ID"] = clusterId,
        ["SILO_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["GATEWAY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["REDIS_HOST"] = redis.Host,
        ["REDIS_PORT"] = redis.Port.ToString(CultureInfo.InvariantCulture),
        ["DASHBOARD_ENABLED"] = "false",
    };

    public TimeSpan ServersProcessorTime() =>
        _silos.Concat(_fronts).Aggregate(_redis.ProcessorTime(), (sum, host) => sum + host.ProcessorTime());

    /// <summary>The fronts' <c>wedrawos_realtime_room_posts</c> and <c>…_room_posts_calls</c> counters (docs/operations.md), summed.</summary>
    public async Task<PostCounts?> PostCountsAsync(CancellationToken cancellationToken)
    {
        long posts = 0, calls = 0;
        foreach (var port in _ports)
        {
            var metrics = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"), cancellationToken);
            posts += Counter(metrics, "wedrawos_realtime_room_posts");
            calls += Counter(metrics, "wedrawos_realtime_room_posts_calls");
        }

        return new PostCounts(posts, calls);
    }

    /// <summary>The value of an unlabelled counter in a Prometheus text exposition.</summary>
    private static long Counter(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"the front's /metrics has no {name}");
    }

    public Uri SocketUri(int server, string userId)
    {
        var token = _tokens.Issue(userId, UserIdentity.Customer, null, TimeSpan.FromHours(2));
        return new Uri($"ws://127.0.0.1:{_ports[server].ToString(CultureInfo.InvariantCulture)}/ws?access_token={Uri.EscapeDataString(token)}");
    }

    public async Task BroadcastAsync(int number, CancellationToken cancellationToken)
    {
        using var body = new StringContent($"{{\"data\":{LoadPayload.Broadcast(number)}}}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{_ports[0].ToString(CultureInfo.InvariantCulture)}/api/broadcast"), body, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Sends a direct message through front <paramref name="front"/>'s HTTP API (<c>POST /api/users/{id}/messages</c>):
    /// true when it was stored (202), false when refused <c>busy</c> (503, to be sent again with the same id).
    /// </summary>
    public async Task<bool> TrySendDirectAsync(int front, string userId, string id, CancellationToken cancellationToken)
    {
        using var body = new StringContent($"{{\"id\":\"{id}\",\"data\":{LoadPayload.Broadcast(0)}}}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{_ports[front].ToString(CultureInfo.InvariantCulture)}/api/users/{userId}/messages"), body, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _fronts.Concat(_silos))
        {
            await host.DisposeAsync();
        }

        _http.Dispose();
    }
}
