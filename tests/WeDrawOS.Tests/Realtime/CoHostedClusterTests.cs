using System.Globalization;
using System.Text.Json;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Cluster mode with fronts that host the silos (<c>FRONT_HOSTS_SILO</c>): the fronts form the cluster on their own and
/// reach each other's sockets; one killed or stopped under traffic hands its rooms to the other with their history and
/// no acked message skipped.
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

        // Several rooms, so that they live on either front's silo.
        await CrossFrontChecks.UsersReachEachOtherAsync(frontA, frontB, Enumerable.Range(1, 6).Select(r => "co-" + r.ToString(CultureInfo.InvariantCulture)).ToList());
        using var api = RealtimeFront.ApiClient(frontB.BaseAddress);
        var status = JsonDocument.Parse(await api.GetStringAsync("/api/status")).RootElement;
        Assert.Equal(2, status.GetProperty("silos").GetArrayLength());
    }

    [Fact]
    public async Task A_killed_front_hands_its_rooms_to_the_other_with_their_history()
    {
        await using var pair = await CoHostedPair.StartAsync(Settings, "rt-cohosted-kill-");
        using var api = RealtimeFront.ApiClient(pair.Observer.BaseAddress);
        const string room = "moving";
        Assert.Equal(1, await api.TryPostAsync(room, "before-1"));
        var doomed = await pair.HomeOfAsync(room);
        await using var carol = await pair.Observer.ConnectAsync("carol");
        await using var dave = await pair.ConnectAsync(1 - doomed, "dave");
        await carol.JoinAsync(room);
        await dave.JoinAsync(room);
        Assert.Equal(2, await api.TryPostAsync(room, "before-2"));
        Assert.Equal(2, (await carol.NextAsync("message")).GetProperty("seq").GetInt64());
        Assert.Equal(2, (await dave.NextAsync("message")).GetProperty("seq").GetInt64());

        await pair.Front(doomed).KillAsync();

        long? seq = null;
        await Eventually.TrueAsync(async () => (seq = await api.TryPostAsync(room, "after")) is not null, what: "the room serving again");
        Assert.Equal(3, seq);
        Assert.Equal(1 - doomed, await pair.HomeOfAsync(room));
        foreach (var member in new[] { carol, dave })
        {
            Assert.Equal(3, (await member.NextAsync("message", m => m.GetProperty("seq").GetInt64() == 3)).GetProperty("seq").GetInt64());
        }

        Assert.Equal([("before-1", 1L), ("before-2", 2L), ("after", 3L)], await HistoryAsync(api, room));
    }

    [Fact]
    public async Task A_front_stopped_gracefully_under_traffic_skips_no_acked_message()
    {
        await using var pair = await CoHostedPair.StartAsync(Settings, "rt-cohosted-stop-");
        using var api = RealtimeFront.ApiClient(pair.Observer.BaseAddress);
        const string room = "flow";
        Assert.Equal(1, await api.TryPostAsync(room, "m0"));
        var stopping = await pair.HomeOfAsync(room);
        await using var carol = await pair.Observer.ConnectAsync("carol");
        await using var dave = await pair.ConnectAsync(1 - stopping, "dave");
        await carol.JoinAsync(room, since: 1);
        await dave.JoinAsync(room, since: 1);

        // One sender posts one message after another, each retried with its id until acked, and goes on for 100 more
        // once the stop has finished: the room's grain moves from the stopping front while messages flow.
        var acked = new List<(string Id, long Seq)> { ("m0", 1) };
        var stopped = false;
        var sender = Task.Run(async () =>
        {
            int? last = null;
            for (var n = 1; last is null || n <= last; n++)
            {
                var id = "m" + n.ToString(CultureInfo.InvariantCulture);
                long? seq = null;
                await Eventually.TrueAsync(async () => (seq = await api.TryPostAsync(room, id)) is not null, what: "message " + id + " acked");
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
        await pair.Front(stopping).TerminateAsync();
        var duringStop = AckedCount() - beforeStop;
        Volatile.Write(ref stopped, true);
        await sender;
        output.WriteLine($"acked {acked.Count} messages: {beforeStop} before the SIGTERM, {duringStop} while the front stopped, the rest after");

        // Every acked message once, in seq order, with no gap: at both sockets and in the room's history.
        Assert.Equal(Enumerable.Range(1, acked.Count).Select(n => (long)n), acked.Select(a => a.Seq));
        Assert.Equal(1 - stopping, await pair.HomeOfAsync(room));
        foreach (var member in new[] { carol, dave })
        {
            var received = new List<long>();
            while (received.Count < acked.Count - 1)
            {
                var frame = await member.NextAsync();
                Assert.NotEqual("resync", frame.GetProperty("type").GetString());
                if (frame.GetProperty("type").GetString() == "message")
                {
                    received.Add(frame.GetProperty("seq").GetInt64());
                }
            }

            Assert.Equal(acked.Skip(1).Select(a => a.Seq), received);
        }

        Assert.Equal(acked, await HistoryAsync(api, room));

        int AckedCount()
        {
            lock (acked)
            {
                return acked.Count;
            }
        }
    }

    private Dictionary<string, string> Settings(string clusterId)
    {
        var settings = TestHost.ClusterSettings(redis, clusterId);
        settings["FRONT_HOSTS_SILO"] = "true";
        settings["API_KEY"] = RealtimeFront.ApiKey;
        settings["JWT_SECRET"] = "cluster-tests-secret-0123456789abcdefgh";
        return settings;
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

    /// <summary>
    /// Two co-hosted fronts, each in its own process so that either can be killed or stopped, and an observer: a front
    /// in this process that is an ordinary Orleans client of their cluster, for the API, sockets and grain placement.
    /// </summary>
    private sealed class CoHostedPair : IAsyncDisposable
    {
        private readonly HostProcess[] _fronts;
        private readonly Uri[] _addresses;
        private readonly int[] _siloPorts;

        private CoHostedPair(TestHost observer, HostProcess[] fronts, Uri[] addresses, int[] siloPorts)
        {
            Observer = observer;
            _fronts = fronts;
            _addresses = addresses;
            _siloPorts = siloPorts;
        }

        public TestHost Observer { get; }

        public static async Task<CoHostedPair> StartAsync(Func<string, Dictionary<string, string>> settings, string clusterPrefix)
        {
            var clusterId = clusterPrefix + Guid.NewGuid().ToString("N")[..8];
            var members = new[] { settings(clusterId), settings(clusterId) };
            var addresses = new Uri[2];
            for (var i = 0; i < 2; i++)
            {
                var port = FreePort.Next();
                members[i]["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
                addresses[i] = new Uri($"http://127.0.0.1:{port}");
            }

            var fronts = members.Select(m => HostProcess.Start(typeof(WebFrontApp).Assembly.Location, m)).ToArray();
            var observerSettings = settings(clusterId);
            observerSettings["FRONT_HOSTS_SILO"] = "false";
            TestHost? observer = null;
            try
            {
                for (var i = 0; i < 2; i++)
                {
                    await HostProcess.WaitUntilReadyAsync(fronts[i], addresses[i]);
                }

                observer = await TestHost.StartFrontAsync(observerSettings);
                var pair = new CoHostedPair(observer, fronts, addresses, members.Select(m => int.Parse(m["SILO_PORT"], CultureInfo.InvariantCulture)).ToArray());
                await Eventually.TrueAsync(async () => (await pair.Management.GetHosts(onlyActive: true)).Count == 2, what: "both fronts active as silos");
                return pair;
            }
            catch
            {
                foreach (var front in fronts)
                {
                    await front.DisposeAsync();
                }

                if (observer is not null)
                {
                    await observer.DisposeAsync();
                }

                throw;
            }
        }

        private IManagementGrain Management => Observer.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);

        public HostProcess Front(int index) => _fronts[index];

        /// <summary>Which of the two fronts <paramref name="room"/>'s grain lives in.</summary>
        public async Task<int> HomeOfAsync(string room)
        {
            var address = await Management.GetActivationAddress(Observer.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>(room));
            return Array.IndexOf(_siloPorts, address!.Endpoint.Port);
        }

        /// <summary>A socket of <paramref name="userId"/> on front <paramref name="index"/> (tokens share the cluster's secret).</summary>
        public async Task<WsClient> ConnectAsync(int index, string userId) =>
            (await WsClient.ConnectWelcomedAsync(_addresses[index], Observer.Token(userId))).Client;

        public async ValueTask DisposeAsync()
        {
            await Observer.DisposeAsync();
            foreach (var front in _fronts)
            {
                await front.DisposeAsync();
            }
        }
    }
}
