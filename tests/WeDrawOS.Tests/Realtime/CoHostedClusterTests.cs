using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Cluster mode with fronts that host the silos (<c>FRONT_HOSTS_SILO</c>): the fronts form the cluster on their own,
/// reach each other's sockets, and a killed one hands its rooms to the survivor with their history.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class CoHostedClusterTests(SharedRedis redis, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_fronts_that_host_the_silos_are_the_cluster_and_reach_each_other()
    {
        var clusterId = "rt-cohosted-" + Guid.NewGuid().ToString("N")[..8];
        await using var frontA = await TestHost.StartFrontAsync(Settings(clusterId));
        await using var frontB = await TestHost.StartFrontAsync(Settings(clusterId));
        var management = frontA.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, what: "both fronts active as silos");
        await using var alice = await frontA.ConnectAsync("alice");
        await using var bob = await frontB.ConnectAsync("bob");
        await using var bobOnA = await frontA.ConnectAsync("bob");

        // Several rooms, so that they live on either front's silo.
        var rooms = Enumerable.Range(1, 6).Select(r => "co-" + r.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var room in rooms)
        {
            await alice.JoinAsync(room);
            await bob.JoinAsync(room);
        }

        foreach (var room in rooms)
        {
            for (var n = 1; n <= 3; n++)
            {
                await alice.SendAsync(new { type = "send", id = room + "-" + n, room, data = n });
            }

            for (var n = 1; n <= 3; n++)
            {
                var message = await bob.NextAsync("message", m => m.GetProperty("room").GetString() == room);
                Assert.Equal((n, "alice"), (message.GetProperty("seq").GetInt64(), message.GetProperty("from").GetString()));
            }
        }

        await bob.SendAsync(new { type = "send", id = "dm", to = "alice", data = "hi from B" });
        Assert.Equal("hi from B", (await alice.NextAsync("message", m => !m.TryGetProperty("room", out _))).GetProperty("data").GetString());
        Assert.Equal("hi from B", (await bobOnA.NextAsync("message", m => !m.TryGetProperty("room", out _))).GetProperty("data").GetString());

        using var api = Api(frontB);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/broadcast", new { data = "all fronts" })).StatusCode);
        Assert.Equal("all fronts", (await alice.NextAsync("broadcast")).GetProperty("data").GetString());
        Assert.Equal("all fronts", (await bob.NextAsync("broadcast")).GetProperty("data").GetString());
        var status = JsonDocument.Parse(await api.GetStringAsync("/api/status")).RootElement;
        Assert.Equal(2, status.GetProperty("silos").GetArrayLength());
    }

    [Fact]
    public async Task A_killed_front_hands_its_rooms_to_the_survivor_with_their_history()
    {
        var clusterId = "rt-cohosted-kill-" + Guid.NewGuid().ToString("N")[..8];
        await using var survivor = await TestHost.StartFrontAsync(Settings(clusterId));
        var doomedSettings = Settings(clusterId);
        var port = FreePort.Next();
        doomedSettings["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        await using var doomed = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, doomedSettings);
        await HostProcess.WaitUntilReadyAsync(doomed, new Uri($"http://127.0.0.1:{port}"));
        var cluster = survivor.GetRequiredService<IClusterClient>();
        var management = cluster.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, what: "both fronts active as silos");
        var doomedPort = int.Parse(doomedSettings["SILO_PORT"], CultureInfo.InvariantCulture);
        using var api = Api(survivor);

        // A room that lives in the doomed front's silo (placement is random: try rooms until one lands there).
        string? placed = null;
        for (var r = 0; r < 40 && placed is null; r++)
        {
            var candidate = "moving-" + r.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(1, await TryPostAsync(api, candidate, "before-1"));
            if ((await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(candidate)))!.Endpoint.Port == doomedPort)
            {
                placed = candidate;
            }
        }

        var room = placed ?? throw new InvalidOperationException("none of 40 rooms was placed on the doomed front's silo");
        await using var carol = await survivor.ConnectAsync("carol");
        await carol.JoinAsync(room);
        Assert.Equal(2, await TryPostAsync(api, room, "before-2"));
        Assert.Equal(2, (await carol.NextAsync("message")).GetProperty("seq").GetInt64());

        await doomed.KillAsync();

        long? seq = null;
        await Eventually.TrueAsync(async () => (seq = await OrNullAsync(() => TryPostAsync(api, room, "after"))) is not null, what: "the room serving again");
        Assert.Equal(3, seq);
        Assert.Equal(3, (await carol.NextAsync("message", m => m.GetProperty("seq").GetInt64() == 3)).GetProperty("seq").GetInt64());
        Assert.NotEqual(doomedPort, (await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(room)))!.Endpoint.Port);
        var history = JsonDocument.Parse(await api.GetStringAsync($"/api/rooms/{room}/history")).RootElement.GetProperty("messages")
            .EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("seq").GetInt64()));
        Assert.Equal([("before-1", 1L), ("before-2", 2L), ("after", 3L)], history);
    }

    [Fact]
    public async Task A_front_stopped_gracefully_under_traffic_skips_no_acked_message()
    {
        var clusterId = "rt-cohosted-stop-" + Guid.NewGuid().ToString("N")[..8];
        await using var survivor = await TestHost.StartFrontAsync(Settings(clusterId));
        var doomedSettings = Settings(clusterId);
        var port = FreePort.Next();
        doomedSettings["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        await using var doomed = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, doomedSettings);
        await HostProcess.WaitUntilReadyAsync(doomed, new Uri($"http://127.0.0.1:{port}"));
        var cluster = survivor.GetRequiredService<IClusterClient>();
        var management = cluster.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, what: "both fronts active as silos");
        var doomedPort = int.Parse(doomedSettings["SILO_PORT"], CultureInfo.InvariantCulture);
        using var api = Api(survivor);

        // A room in the doomed front's silo, so that the graceful stop moves it while messages flow.
        string? placed = null;
        for (var r = 0; r < 40 && placed is null; r++)
        {
            var candidate = "flow-" + r.ToString(CultureInfo.InvariantCulture);
            if (await cluster.GetGrain<IRoomGrain>(candidate).Admits("probe", isStaff: false)
                && (await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(candidate)))!.Endpoint.Port == doomedPort)
            {
                placed = candidate;
            }
        }

        var room = placed ?? throw new InvalidOperationException("none of 40 rooms was placed on the doomed front's silo");
        await using var carol = await survivor.ConnectAsync("carol");
        await carol.JoinAsync(room);

        // One sender posts one message after another through the survivor, each retried with its id until acked,
        // and goes on for 100 more once the stop has finished.
        var acked = new List<(string Id, long Seq)>();
        var stopped = false;
        var sender = Task.Run(async () =>
        {
            int? last = null;
            for (var n = 1; last is null || n <= last; n++)
            {
                var id = "m" + n.ToString(CultureInfo.InvariantCulture);
                long? seq = null;
                await Eventually.TrueAsync(async () => (seq = await OrNullAsync(() => TryPostAsync(api, room, id))) is not null, what: "message " + id + " acked");
                lock (acked)
                {
                    acked.Add((id, seq!.Value));
                }

                if (last is null && Volatile.Read(ref stopped))
                {
                    last = n + 100;
                }
            }
        });
        await Eventually.TrueAsync(() => Task.FromResult(AckedCount() >= 50), what: "50 messages acked before the stop");
        var beforeStop = AckedCount();
        await doomed.TerminateAsync();
        var duringStop = AckedCount() - beforeStop;
        Volatile.Write(ref stopped, true);
        await sender;
        output.WriteLine($"acked {acked.Count} messages: {beforeStop} before the SIGTERM, {duringStop} while the front stopped, the rest after");

        // Every acked message once, in seq order, with no gap: at carol's socket and in the room's history.
        Assert.Equal(Enumerable.Range(1, acked.Count).Select(n => (long)n), acked.Select(a => a.Seq));
        var received = new List<long>();
        while (received.Count < acked.Count)
        {
            var frame = await carol.NextAsync();
            Assert.NotEqual("resync", frame.GetProperty("type").GetString());
            if (frame.GetProperty("type").GetString() == "message")
            {
                received.Add(frame.GetProperty("seq").GetInt64());
            }
        }

        Assert.Equal(acked.Select(a => a.Seq), received);
        Assert.NotEqual(doomedPort, (await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(room)))!.Endpoint.Port);
        Assert.Equal(acked, await HistoryAsync(api, room));

        int AckedCount()
        {
            lock (acked)
            {
                return acked.Count;
            }
        }
    }

    /// <summary>The room's whole history as (client id, seq), read page after page.</summary>
    private static async Task<List<(string Id, long Seq)>> HistoryAsync(HttpClient api, string room)
    {
        var history = new List<(string, long)>();
        for (var more = true; more;)
        {
            var page = JsonDocument.Parse(await api.GetStringAsync($"/api/rooms/{room}/history?after={(history.Count > 0 ? history[^1].Item2 : 0)}&limit=100")).RootElement;
            history.AddRange(page.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("id").GetString()!, m.GetProperty("seq").GetInt64())));
            more = page.TryGetProperty("more", out var flag) && flag.GetBoolean();
        }

        return history;
    }

    private Dictionary<string, string> Settings(string clusterId)
    {
        var settings = TestHost.ClusterSettings(redis, clusterId);
        settings["FRONT_HOSTS_SILO"] = "true";
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

    /// <summary>Posts through the HTTP API: the message's seq, or null when the cluster did not accept it.</summary>
    private static async Task<long?> TryPostAsync(HttpClient api, string room, string id)
    {
        using var response = await api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { id, data = id });
        return response.StatusCode == HttpStatusCode.Accepted
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("seq").GetInt64()
            : null;
    }

    /// <summary>The answer, or null when asking failed (as calls do while a dead silo is being replaced).</summary>
    private static async Task<long?> OrNullAsync(Func<Task<long?>> ask)
    {
        try
        {
            return await ask();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
