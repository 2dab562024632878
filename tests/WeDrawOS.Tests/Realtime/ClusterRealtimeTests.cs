using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Cluster mode on a real Redis: several silos and fronts, crashes by SIGKILL.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class ClusterRealtimeTests(SharedRedis redis)
{
    private static readonly TimeSpan CrashTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Users_on_two_fronts_reach_each_other_through_two_silos()
    {
        var clusterId = "rt-cross-" + Guid.NewGuid().ToString("N")[..8];
        await using var siloA = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var siloB = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var frontA = await TestHost.StartFrontAsync(Settings(clusterId));
        await using var frontB = await TestHost.StartFrontAsync(Settings(clusterId));
        await using var alice = await frontA.ConnectAsync("alice");
        await using var bob = await frontB.ConnectAsync("bob");
        await using var bobOnA = await frontA.ConnectAsync("bob");

        await alice.JoinAsync("cross");
        await bob.JoinAsync("cross");
        for (var n = 1; n <= 5; n++)
        {
            await alice.SendAsync(new { type = "send", id = "x" + n, room = "cross", data = n });
        }

        for (var n = 1; n <= 5; n++)
        {
            var message = await bob.NextAsync("message");
            Assert.Equal(n, message.GetProperty("seq").GetInt64());
            Assert.Equal("alice", message.GetProperty("from").GetString());
        }

        await bob.SendAsync(new { type = "send", id = "dm", to = "alice", data = "hi from B" });
        Assert.Equal("hi from B", (await alice.NextAsync("message", m => !m.TryGetProperty("room", out _))).GetProperty("data").GetString());
        // bob's other connection, on the other front, gets its own direct message too.
        Assert.Equal("hi from B", (await bobOnA.NextAsync("message", m => !m.TryGetProperty("room", out _))).GetProperty("data").GetString());

        using var api = Api(frontB);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/broadcast", new { data = "all fronts" })).StatusCode);
        Assert.Equal("all fronts", (await alice.NextAsync("broadcast")).GetProperty("data").GetString());
        Assert.Equal("all fronts", (await bob.NextAsync("broadcast")).GetProperty("data").GetString());
        var presence = JsonDocument.Parse(await api.GetStringAsync("/api/users/bob/presence")).RootElement;
        Assert.Equal(2, presence.GetProperty("connections").GetInt32());
    }

    [Fact]
    public async Task Users_of_a_killed_front_go_offline_within_two_ping_intervals()
    {
        var clusterId = "rt-front-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var survivor = await TestHost.StartFrontAsync(Settings(clusterId));
        var doomedSettings = Settings(clusterId);
        doomedSettings["WS_PING_INTERVAL"] = "1000";
        var port = FreePort.Next();
        doomedSettings["HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var doomed = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, doomedSettings);
        using var api = Api(survivor);
        var doomedUri = new Uri($"http://127.0.0.1:{port}");
        using (var probe = new HttpClient { BaseAddress = doomedUri })
        {
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(doomed.HasExited, "the front process exited");
                try
                {
                    return (await probe.GetAsync("/health/ready")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            });
        }

        var (zed, _) = await WsClient.ConnectWelcomedAsync(doomedUri, survivor.Token("zed"));
        await using var _ = zed;
        Assert.True(await OnlineAsync(api, "zed"));

        await doomed.KillAsync();

        await Eventually.TrueAsync(async () => !await OnlineAsync(api, "zed"));
    }

    [Fact]
    public async Task Every_acked_message_survives_a_silo_killed_while_messages_flow()
    {
        var clusterId = "rt-kill-" + Guid.NewGuid().ToString("N")[..8];
        await using var doomed = HostProcess.Start(typeof(SiloApp).Assembly.Location, TestHost.ClusterSettings(redis, clusterId));
        await using var survivor = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var front = await TestHost.StartFrontAsync(Settings(clusterId));
        await Eventually.TrueAsync(async () =>
            JsonDocument.Parse(await front.Http.GetStringAsync("/api/status")).RootElement.GetProperty("silos").GetArrayLength() == 2);
        await using var writer = await front.ConnectAsync("writer");

        // Several rooms, so that some of them live on the silo that is killed.
        var rooms = Enumerable.Range(0, 8).Select(n => "crash-" + n).ToArray();
        var acked = new Dictionary<string, (string Room, long Seq)>();
        const int total = 600; // 75 per room: more than one tail of the message log, so folding into the archive is covered
        for (var n = 0; n < total; n++)
        {
            if (n == total / 4)
            {
                await doomed.KillAsync();
            }

            var id = "m" + n;
            var room = rooms[n % rooms.Length];
            // A send that fails is retried with the same id: de-duplication makes the retry safe.
            while (true)
            {
                await writer.SendAsync(new { type = "send", id, room, data = n });
                var answer = await writer.WaitForAsync(f => f.TryGetProperty("id", out var i) && i.GetString() == id, CrashTimeout);
                if (answer.GetProperty("type").GetString() == "ack")
                {
                    acked[id] = (room, answer.GetProperty("seq").GetInt64());
                    break;
                }

                Assert.Contains(answer.GetProperty("code").GetString(), new[] { "unavailable", "internal", "rate_limited" });
                // Back off a little before retrying, as a client would.
                await Task.Delay(200);
            }
        }

        using var api = Api(front);
        foreach (var room in rooms)
        {
            var history = JsonDocument.Parse(await api.GetStringAsync($"/api/rooms/{room}/history?limit=200")).RootElement.GetProperty("messages")
                .EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("seq").GetInt64());
            var expected = acked.Where(a => a.Value.Room == room).ToList();
            Assert.Equal(expected.Count, history.Count);
            foreach (var (id, (_, seq)) in expected)
            {
                Assert.Equal(seq, history[id]);
            }

            Assert.Equal(Enumerable.Range(1, history.Count).Select(s => (long)s), history.Values.Order());
        }
    }

    private Dictionary<string, string> Settings(string clusterId)
    {
        var settings = TestHost.ClusterSettings(redis, clusterId);
        settings["API_KEY"] = RealtimeFront.ApiKey;
        settings["JWT_SECRET"] = "cluster-tests-secret-0123456789abcdefgh";
        return settings;
    }

    private static HttpClient Api(TestHost front)
    {
        var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        return api;
    }

    private static async Task<bool> OnlineAsync(HttpClient api, string userId) =>
        JsonDocument.Parse(await api.GetStringAsync($"/api/users/{userId}/presence")).RootElement.GetProperty("online").GetBoolean();
}
