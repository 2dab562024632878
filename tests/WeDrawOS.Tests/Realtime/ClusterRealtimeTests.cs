using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using WeDrawOS.Front.Auth;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
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
        await CrossFrontChecks.UsersReachEachOtherAsync(frontA, frontB, ["cross"]);
    }

    [Fact]
    public async Task Making_an_open_room_private_revokes_everyone_not_admitted_on_every_front()
    {
        var clusterId = "rt-private-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var frontA = await TestHost.StartFrontAsync(Settings(clusterId));
        await using var frontB = await TestHost.StartFrontAsync(Settings(clusterId));
        await using var aliceOnA = await frontA.ConnectAsync("alice");
        await using var aliceLeaving = await frontA.ConnectAsync("alice");
        await using var aliceOnB = await frontB.ConnectAsync("alice");
        await using var agentOnA = await frontA.ConnectAsync("agent7", UserIdentity.Agent);
        await using var bobOnB = await frontB.ConnectAsync("bob");
        const string room = "goes-private";
        foreach (var socket in new[] { aliceOnA, aliceLeaving, aliceOnB, agentOnA, bobOnB })
        {
            Assert.Equal("joined", (await socket.JoinAsync(room)).GetProperty("type").GetString());
        }

        // One of alice's sockets leaves: alice is no longer a member, but her two other sockets are still in the room.
        await aliceLeaving.SendAsync(new { type = "leave", room });
        await aliceLeaving.NextAsync("left");

        using var api = RealtimeFront.ApiClient(frontA.BaseAddress);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync($"/api/rooms/{room}/members/bob", null)).StatusCode);

        Assert.Equal(room, (await aliceOnA.NextAsync("left")).GetProperty("room").GetString());
        Assert.Equal(room, (await aliceOnB.NextAsync("left")).GetProperty("room").GetString());
        var presence = JsonDocument.Parse(await api.GetStringAsync($"/api/rooms/{room}/presence")).RootElement.GetProperty("members");
        Assert.Equal(["agent7", "bob"], presence.EnumerateArray().Select(m => m.GetProperty("userId").GetString()));

        // A refresh keeps the socket, not the room.
        await aliceOnA.SendAsync(new { type = "refresh", token = frontA.Token("alice") });
        await aliceOnA.NextAsync("refreshed");

        // A message after the switch reaches the admitted on both fronts; alice's sockets get their pong with nothing
        // before it (each socket's frames leave in order, so a message queued for her would come first).
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { data = "members only" })).StatusCode);
        Assert.Equal("members only", (await agentOnA.NextAsync("message")).GetProperty("data").GetString());
        Assert.Equal("members only", (await bobOnB.NextAsync("message")).GetProperty("data").GetString());
        foreach (var alice in new[] { aliceOnA, aliceOnB })
        {
            await alice.SendAsync(new { type = "ping" });
            await alice.NextAsync("pong");
            Assert.Empty(alice.Unread("message"));
        }

        Assert.Equal("forbidden", (await aliceOnB.JoinAsync(room)).GetProperty("code").GetString());
        await aliceOnA.SendAsync(new { type = "history", room });
        Assert.Equal("forbidden", (await aliceOnA.NextAsync("error")).GetProperty("code").GetString());
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
        using var api = RealtimeFront.ApiClient(survivor.BaseAddress);
        var doomedUri = new Uri($"http://127.0.0.1:{port}");
        await HostProcess.WaitUntilReadyAsync(doomed, doomedUri);

        var (zed, _) = await WsClient.ConnectWelcomedAsync(doomedUri, survivor.Token("zed"));
        await using var _ = zed;

        // Eventually: with this front's one-second pings its lease is 1.25 s, and a renewal late on a busy machine ends
        // it (its users go offline) until the next one brings them back, as it should.
        await Eventually.TrueAsync(() => OnlineAsync(api, "zed"));

        await doomed.KillAsync();

        await Eventually.TrueAsync(async () => !await OnlineAsync(api, "zed"));
    }

    [Fact]
    public async Task Users_of_a_front_that_died_while_the_silos_were_down_go_offline()
    {
        var clusterId = "rt-lease-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        var doomedSettings = Settings(clusterId);
        doomedSettings["WS_PING_INTERVAL"] = "1000";
        var port = FreePort.Next();
        doomedSettings["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        await using var doomed = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, doomedSettings);
        var doomedUri = new Uri($"http://127.0.0.1:{port}");
        await HostProcess.WaitUntilReadyAsync(doomed, doomedUri);
        var tokens = new TokenService(Options.Create(new AuthOptions { JwtSecret = doomedSettings["JWT_SECRET"] }), Microsoft.Extensions.Logging.Abstractions.NullLogger<TokenService>.Instance);
        var token = tokens.Issue("yan", UserIdentity.Customer, null, TimeSpan.FromHours(1));
        var (yan, _) = await WsClient.ConnectWelcomedAsync(doomedUri, token);
        await using var _ = yan;
        var users = silo.GetRequiredService<IGrainFactory>();
        await Eventually.TrueAsync(async () => (await users.GetGrain<IUserGrain>("yan").Presence()).Online);

        // Every silo stops, and with them the front's lease grain and what it knew of the front's users (it keeps them
        // in memory); the user grain's connections are stored. The front dies before a silo is back.
        await silo.StopAsync();
        await doomed.KillAsync();
        await using var restarted = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));

        // Before, nothing ever told the user grain that the front was gone: its stored connection kept it online (and
        // counted against the user's connections in the cluster) for good, and it pushed to the dead front.
        users = restarted.GetRequiredService<IGrainFactory>();
        await Eventually.TrueAsync(() => OrFalseAsync(async () => !(await users.GetGrain<IUserGrain>("yan").Presence()).Online));
    }

    [Fact]
    public async Task Every_acked_message_survives_a_silo_killed_while_messages_flow()
    {
        var clusterId = "rt-kill-" + Guid.NewGuid().ToString("N")[..8];
        await using var doomed = HostProcess.Start(typeof(SiloApp).Assembly.Location, TestHost.ClusterSettings(redis, clusterId));
        await using var survivor = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var front = await TestHost.StartFrontAsync(Settings(clusterId));
        await Eventually.TrueAsync(async () =>
            JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement.GetProperty("silos").GetArrayLength() == 2);
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

        using var api = RealtimeFront.ApiClient(front.BaseAddress);
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

    [Fact]
    public async Task A_room_whose_silo_was_killed_serves_again_from_the_survivor_with_its_history()
    {
        var clusterId = "rt-recover-" + Guid.NewGuid().ToString("N")[..8];
        var siloSettings = new[] { TestHost.ClusterSettings(redis, clusterId), TestHost.ClusterSettings(redis, clusterId) };
        await using var first = HostProcess.Start(typeof(SiloApp).Assembly.Location, siloSettings[0]);
        await using var second = HostProcess.Start(typeof(SiloApp).Assembly.Location, siloSettings[1]);
        await using var front = await TestHost.StartFrontAsync(Settings(clusterId));
        var cluster = front.GetRequiredService<IClusterClient>();
        var management = cluster.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, what: "both silos active");
        using var api = RealtimeFront.ApiClient(front.BaseAddress);
        const string room = "recover";
        for (var n = 1; n <= 3; n++)
        {
            Assert.Equal(n, await api.TryPostAsync(room, "before-" + n));
        }

        // Kill whichever silo the room lives on, so that it has to move.
        var home = (await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(room)))!;
        var ports = siloSettings.Select(s => int.Parse(s["SILO_PORT"], CultureInfo.InvariantCulture)).ToArray();
        var doomed = Array.IndexOf(ports, home.Endpoint.Port);
        Assert.True(doomed >= 0, $"the room lives on {home}, which is neither silo");
        await (doomed == 0 ? first : second).KillAsync();

        // The survivor declares the killed silo dead (which breaks the calls that wait on it) ...
        await Eventually.TrueAsync(() => OrFalseAsync(async () =>
            (await management.GetHosts(onlyActive: false)).Any(h => h.Key.Endpoint.Port == home.Endpoint.Port && h.Value == SiloStatus.Dead)),
            what: "the killed silo declared dead");

        // ... and the room re-activates there from Redis: a post retried with the same id is acked once, after the history.
        long? seq = null;
        await Eventually.TrueAsync(() => OrFalseAsync(async () => (seq = await api.TryPostAsync(room, "after")) is not null), what: "the room serving again");
        Assert.Equal(4, seq);
        Assert.Equal(4, await api.TryPostAsync(room, "after"));
        var now = (await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(room)))!;
        Assert.Equal(ports[1 - doomed], now.Endpoint.Port);
        var history = JsonDocument.Parse(await api.GetStringAsync($"/api/rooms/{room}/history")).RootElement.GetProperty("messages")
            .EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("seq").GetInt64()));
        Assert.Equal([("before-1", 1L), ("before-2", 2L), ("before-3", 3L), ("after", 4L)], history);
    }

    [Fact]
    public async Task Failover_settings_reach_the_orleans_options_of_fronts_and_silos()
    {
        var settings = Settings("rt-options");
        settings["SILO_PROBE_TIMEOUT_MS"] = "3000";
        settings["SILO_MISSED_PROBES_LIMIT"] = "4";
        settings["FRONT_CALL_TIMEOUT_MS"] = "7000";
        // Built without an environment, so in Production, which names the pickup folder.
        settings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        var arguments = settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();

        await using var silo = SiloApp.Build(arguments);
        await using var front = WebFrontApp.Build(arguments);
        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var messaging = front.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(3), 4), (membership.ProbeTimeout, membership.NumMissedProbesLimit));
        Assert.Equal(TimeSpan.FromSeconds(7), messaging.ResponseTimeout);
    }

    private Dictionary<string, string> Settings(string clusterId)
    {
        var settings = TestHost.ClusterSettings(redis, clusterId);
        settings["API_KEY"] = RealtimeFront.ApiKey;
        settings["JWT_SECRET"] = "cluster-tests-secret-0123456789abcdefgh";
        return settings;
    }

    /// <summary>The condition, or false when asking failed (as cluster calls do while a dead silo is being replaced).</summary>
    private static async Task<bool> OrFalseAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> OnlineAsync(HttpClient api, string userId) =>
        JsonDocument.Parse(await api.GetStringAsync($"/api/users/{userId}/presence")).RootElement.GetProperty("online").GetBoolean();
}
