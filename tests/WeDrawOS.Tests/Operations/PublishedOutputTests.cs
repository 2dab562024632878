using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;
using WeDrawOS.Front.Auth;

namespace WeDrawOS.Tests.Operations;

/// <summary>
/// What <c>dotnet publish</c> produces (the images run exactly that) starts and serves like <c>dotnet run</c>: the front
/// alone in Production with its required secrets, and a silo with a front in a Redis cluster, all in Production.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed partial class PublishedOutputTests(PublishedOutput published, SharedRedis redis) : IClassFixture<PublishedOutput>
{
    private const string JwtSecret = "published-output-secret-0123456789abcdef";

    private static readonly TokenService Tokens = new(Options.Create(new AuthOptions { JwtSecret = JwtSecret }), NullLogger<TokenService>.Instance);

    [Fact]
    public async Task Published_front_serves_health_status_sockets_and_pages_in_production()
    {
        var settings = TestHost.ProductionSettings();
        settings["JWT_SECRET"] = JwtSecret;
        await using var front = await StartAsync(published.Front, "front.Dockerfile", settings);

        using (var anonymous = new HttpClient { BaseAddress = front.Address })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/status")).StatusCode);
            // Production: no development tokens.
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/api/dev/token", JsonContent("""{"userId":"mallory"}"""))).StatusCode);
            await AssertPagesAndTheirLibraryAsync(anonymous);
        }

        using var status = JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status"));
        Assert.Equal(1, status.RootElement.GetProperty("silos").GetArrayLength());
        await AssertRoundTripAsync(front.Address, "published-embedded");
    }

    [Fact]
    public async Task Published_silo_joins_a_redis_cluster_with_a_published_front()
    {
        var clusterId = "ops-pub-" + Guid.NewGuid().ToString("N")[..8];
        var siloSettings = TestHost.ClusterSettings(redis, clusterId);
        siloSettings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        var frontSettings = TestHost.ClusterSettings(redis, clusterId);
        frontSettings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        frontSettings["JWT_SECRET"] = JwtSecret;

        // Both start at once, as an orchestrator starts them; the front's client waits for a gateway.
        var starting = new[] { StartAsync(published.Silo, "silo.Dockerfile", siloSettings), StartAsync(published.Front, "front.Dockerfile", frontSettings) };
        await using var silo = await starting[0];
        await using var front = await starting[1];

        using (var anonymous = new HttpClient { BaseAddress = silo.Address })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        }

        var metrics = await silo.Operator.GetStringAsync("/metrics");
        Assert.Contains("microsoft_orleans_", metrics, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            using var status = JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status"));
            return status.RootElement.GetProperty("silos").GetArrayLength() == 1;
        }, what: "the front seeing the published silo");
        // The room lives on the silo: the message crosses the cluster.
        await AssertRoundTripAsync(front.Address, "published-cluster");
        var accepted = await silo.Operator.GetStringAsync("/metrics");
        Assert.Matches(@"wedrawos_messaging_messages_accepted\{kind=""room""\} [1-9]", accepted);
    }

    /// <summary>Starts the published assembly the Dockerfile's ENTRYPOINT names, in Production on a port of its own, and waits until it is ready.</summary>
    private static async Task<Served> StartAsync(string folder, string dockerfile, Dictionary<string, string> settings)
    {
        var port = FreePort.Next();
        settings["ASPNETCORE_ENVIRONMENT"] = "Production";
        settings["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        var assembly = Path.Combine(folder, Dockerfiles.EntryAssembly(dockerfile));
        Assert.True(File.Exists(assembly), dockerfile + "'s entry point is not in the published output: " + assembly);
        var process = HostProcess.Start(assembly, settings);
        var served = new Served(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await HostProcess.WaitUntilReadyAsync(process, served.Address);
            return served;
        }
        catch
        {
            await served.DisposeAsync();
            throw;
        }
    }

    /// <summary>Two users in a room: one sends, the other receives it by seq.</summary>
    private static async Task AssertRoundTripAsync(Uri front, string room)
    {
        var (alice, _) = await WsClient.ConnectWelcomedAsync(front, Tokens.Issue("alice", UserIdentity.Customer, null, TimeSpan.FromHours(1)));
        await using var aliceSocket = alice;
        var (bob, _) = await WsClient.ConnectWelcomedAsync(front, Tokens.Issue("bob", UserIdentity.Customer, null, TimeSpan.FromHours(1)));
        await using var bobSocket = bob;
        Assert.Equal("joined", (await alice.JoinAsync(room)).GetProperty("type").GetString());
        Assert.Equal("joined", (await bob.JoinAsync(room)).GetProperty("type").GetString());

        await alice.SendAsync(new { type = "send", id = "hello-1", room, data = "你好 / hello" });
        var seq = (await alice.NextAsync("ack")).GetProperty("seq").GetInt64();
        var delivered = await bob.NextAsync("message", m => m.GetProperty("seq").GetInt64() == seq);
        Assert.Equal("你好 / hello", delivered.GetProperty("data").GetString());
    }

    /// <summary>The chat page and its script, and the client library the pages load: every module of it that its entry point reaches.</summary>
    private static async Task AssertPagesAndTheirLibraryAsync(HttpClient http)
    {
        using var chat = await http.GetAsync("/chat/");
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal("text/html", chat.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/chat/chat.js", await chat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(chat.Headers.Contains("Content-Security-Policy"));
        await AssertScriptAsync(http, "/chat/chat.js");
        Assert.Contains("../lib/realtime/index.js", await AssertScriptAsync(http, "/assets/session.js"), StringComparison.Ordinal);

        var pending = new Queue<string>(["index.js"]);
        var seen = new HashSet<string>(pending, StringComparer.Ordinal);
        while (pending.TryDequeue(out var module))
        {
            var source = await AssertScriptAsync(http, "/lib/realtime/" + module);
            foreach (var imported in RelativeImport().Matches(source).Select(m => m.Groups[1].Value).Where(seen.Add))
            {
                pending.Enqueue(imported);
            }
        }

        Assert.True(seen.Count >= 3, "library modules: " + string.Join(", ", seen));
    }

    private static async Task<string> AssertScriptAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex("""(?:from|import)\s+'\./([A-Za-z0-9_-]+\.js)'""")]
    private static partial Regex RelativeImport();

    /// <summary>A published process and its clients; disposing kills it.</summary>
    private sealed class Served(HostProcess process, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public HttpClient Operator { get; } = RealtimeFront.ApiClient(address);

        public async ValueTask DisposeAsync()
        {
            Operator.Dispose();
            await process.DisposeAsync();
        }
    }
}
