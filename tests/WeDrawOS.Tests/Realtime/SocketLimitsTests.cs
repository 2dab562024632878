using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Limits and lifecycle: size, connections, rate, slow readers, dead peers, token expiry, shutdown.</summary>
public sealed class SocketLimitsTests
{
    [Fact]
    public async Task Frame_above_the_maximum_size_closes_with_1009()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_MAX_MESSAGE_SIZE", "1024")));
        await using var alice = await front.ConnectAsync("alice");

        await alice.SendAsync(new { type = "send", id = "ok", to = "bob", data = new string('x', 900) });
        await alice.NextAsync("ack");
        await alice.SendAsync(new { type = "send", id = "big", to = "bob", data = new string('x', 2000) });

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await alice.Closed.WaitAsync(WsClient.Timeout));
    }

    [Fact]
    public async Task Frame_of_exactly_the_maximum_size_is_read_whole_and_one_byte_more_closes_with_1009()
    {
        // Larger than the 4 KB first block of the pooled receive buffer, so the frame is read in several parts.
        const int limit = 10_000;
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_MAX_MESSAGE_SIZE", limit.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await using var alice = await front.ConnectAsync("alice");

        await alice.SendTextAsync(SendFrameOfSize("exact", limit));
        Assert.Equal("exact", (await alice.NextAsync("ack")).GetProperty("id").GetString());
        await alice.SendTextAsync(SendFrameOfSize("over", limit + 1));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await alice.Closed.WaitAsync(WsClient.Timeout));
    }

    [Fact]
    public async Task Connections_above_the_maximum_get_503_with_retry_after()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_MAX_CONNECTIONS", "2")));
        var first = await front.ConnectAsync("u1");
        await using var second = await front.ConnectAsync("u2");

        using var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(WsClient.SocketUri(front.BaseAddress, front.Token("u3")), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        Assert.True(third.HttpResponseHeaders!.ContainsKey("Retry-After"));

        // A place freed by a closing socket can be taken again.
        await first.CloseAsync();
        await first.DisposeAsync();
        await using var again = await ConnectWhenAdmittedAsync(front, "u3");
        await again.SendAsync(new { type = "ping" });
        await again.NextAsync("pong");
    }

    [Fact]
    public async Task One_user_opening_260_sockets_gets_its_ten_and_the_next_user_still_gets_in()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_MAX_CONNECTIONS", "200")));
        var token = front.Token("mallory");

        // All at once: the places are counted by mallory's user grain, one call at a time, so no race lets more in.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 260).Select(_ => WsClient.TryConnectWelcomedAsync(front.BaseAddress, token)));
        var accepted = attempts.Where(a => a.Client is not null).Select(a => a.Client!).ToList();
        try
        {
            Assert.Equal(10, accepted.Count);
            Assert.All(attempts.Where(a => a.Client is null), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Status));
            using (var request = UpgradeRequest(token))
            {
                await DevTokenTests.AssertProblem(await front.Http.SendAsync(request), HttpStatusCode.TooManyRequests, "too_many_connections");
            }

            await using var bob = await front.ConnectAsync("bob");
            await bob.SendAsync(new { type = "ping" });
            await bob.NextAsync("pong");

            // The oldest socket was not dropped for the newer ones; closing one gives its place back.
            Assert.All(accepted, c => Assert.Equal(WebSocketState.Open, c.Socket.State));
            await accepted[0].CloseAsync();
            await using var again = await ConnectWhenAdmittedAsync(front, "mallory");
            await again.SendAsync(new { type = "ping" });
            await again.NextAsync("pong");
        }
        finally
        {
            foreach (var client in accepted)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Join_beyond_the_rooms_of_a_connection_is_refused_with_too_many_rooms()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_MAX_ROOMS_PER_CONNECTION", "3")));
        await using var alice = await front.ConnectAsync("alice");
        foreach (var room in new[] { "r1", "r2", "r3", "r1" })
        {
            Assert.Equal("joined", (await alice.JoinAsync(room)).GetProperty("type").GetString());
        }

        await alice.SendAsync(new { type = "join", room = "r4", id = "j4" });
        var refused = await alice.NextAsync("error");
        Assert.Equal(("too_many_rooms", "j4"), (refused.GetProperty("code").GetString(), refused.GetProperty("id").GetString()));

        await alice.SendAsync(new { type = "leave", room = "r2" });
        await alice.NextAsync("left");
        Assert.Equal("joined", (await alice.JoinAsync("r4")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Twelve_sockets_joining_3000_distinct_rooms_are_held_to_the_join_rate_and_the_next_user_still_gets_in()
    {
        // The frame rate limit is lifted so that only the join limits act; WS_JOIN_RATE_PER_MINUTE is the default 300.
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_RATE_BURST", "100000"), ("WS_RATE_PER_SECOND", "100000")));
        var token = front.Token("mallory");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => WsClient.TryConnectWelcomedAsync(front.BaseAddress, token)));
        var sockets = attempts.Where(a => a.Client is not null).Select(a => a.Client!).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            Assert.Equal(10, sockets.Count);
            await Task.WhenAll(sockets.Select((socket, s) => Task.WhenAll(Enumerable.Range(0, 300).Select(n =>
                socket.SendAsync(new { type = "join", room = $"spam-{s}-{n}", id = $"j-{s}-{n}" })))));
            var answers = new List<JsonElement>();
            foreach (var socket in sockets)
            {
                for (var n = 0; n < 300; n++)
                {
                    answers.Add(await socket.WaitForAsync(f => f.GetProperty("type").GetString() is "joined" or "error"));
                }
            }

            var joined = answers.Count(a => a.GetProperty("type").GetString() == "joined");
            var refused = answers.Where(a => a.GetProperty("type").GetString() == "error").ToList();
            Assert.All(refused, e => Assert.Equal("rate_limited", e.GetProperty("code").GetString()));
            Assert.All(refused, e => Assert.StartsWith("j-", e.GetProperty("id").GetString()));

            // A bucket of 300 refilled at 300 a minute: never more than 300 plus what the elapsed time refilled.
            Assert.InRange(joined, 300, 300 + (int)Math.Ceiling(clock.Elapsed.TotalMinutes * 300));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }

        await using var bob = await front.ConnectAsync("bob");
        Assert.Equal("joined", (await bob.JoinAsync("support")).GetProperty("type").GetString());
        await bob.SendAsync(new { type = "send", id = "b1", room = "support", data = "hello" });
        Assert.Equal(1, (await bob.NextAsync("ack")).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Frames_above_the_rate_limit_are_answered_with_rate_limited_and_the_socket_stays_open()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_RATE_BURST", "5"), ("WS_RATE_PER_SECOND", "1")));
        await using var alice = await front.ConnectAsync("alice");

        for (var n = 0; n < 12; n++)
        {
            await alice.SendAsync(new { type = "ping" });
        }

        var limited = await alice.NextAsync("error");
        Assert.Equal("rate_limited", limited.GetProperty("code").GetString());
        Assert.InRange(alice.Unread("pong").Count + 1, 1, 7);
        Assert.Equal(WebSocketState.Open, alice.Socket.State);
    }

    [Theory]
    [InlineData("WS_SEND_QUEUE_LIMIT", "4")]
    [InlineData("WS_SEND_QUEUE_MAX_BYTES", "1048576")]
    public async Task Slow_reader_is_closed_with_1013_instead_of_queueing_without_bound(string limit, string value)
    {
        // By frames (4 of 256 KiB) or by bytes (1 MiB: also four of them, the frame being written counted).
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings((limit, value), ("INBOX_SIZE", "5")));
        await using var slow = await WsClient.ConnectAsync(front.BaseAddress, front.Token("slow"), receive: false);
        using var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);

        // The upgrade returns before the socket is registered with the user's grain; a message sent before then finds
        // the user offline and would end the loop below after one message.
        await Eventually.TrueAsync(async () => JsonDocument.Parse(await api.GetStringAsync("/api/users/slow/presence")).RootElement.GetProperty("online").GetBoolean());

        // Up to far more than the loopback socket buffers hold, so the send queue has to fill up. The client starts
        // reading as soon as the front asked for the close: waiting for the user to go offline instead let a loaded
        // machine reach the front's give-up time for a close nobody reads (15 s), which aborts without a close frame.
        var payload = new string('y', 256 * 1024);
        var registry = front.GetRequiredService<ConnectionRegistry>();
        for (var n = 0; n < 120 && !registry.All().Any(c => c.UserId == "slow" && c.IsClosing); n++)
        {
            await api.PostAsJsonAsync("/api/users/slow/messages", new { data = payload });
        }

        slow.StartReceiving();
        Assert.Equal((WebSocketCloseStatus)1013, await slow.Closed.WaitAsync(WsClient.Timeout));
    }

    [Fact]
    public async Task Silent_connection_is_dropped_and_its_user_goes_offline()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_PING_INTERVAL", "300")));
        using var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);

        // Never reading means never answering the server's pings.
        await using var silent = await WsClient.ConnectAsync(front.BaseAddress, front.Token("ghost"), receive: false);
        // Offline with a last-seen time means it was online and then dropped. (Polling for "online" first would race the
        // drop, which comes after two 300 ms intervals: a slow machine can miss the online phase entirely.)
        await Eventually.TrueAsync(async () =>
        {
            var presence = JsonDocument.Parse(await api.GetStringAsync("/api/users/ghost/presence")).RootElement;
            return !presence.GetProperty("online").GetBoolean() && presence.TryGetProperty("lastSeen", out var lastSeen) && lastSeen.ValueKind == JsonValueKind.String;
        });

        Assert.Equal(0, JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement.GetProperty("sockets").GetInt32());
    }

    [Fact]
    public async Task Connection_that_answers_pings_stays_while_a_silent_one_beside_it_is_dropped()
    {
        // A pong must come within an interval: at 300 ms a loaded machine stalled this process (server and client)
        // long enough once to drop the answering socket too, and with it the pings the test counts.
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_PING_INTERVAL", "1000")));
        using var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        var sweeper = front.GetRequiredService<KeepAliveSweeper>();

        // The reading client sends nothing of its own (its keep-alive is off): only its answers to the server's pings
        // are read from it. The silent one never reads, so never answers.
        await using var alive = await front.ConnectAsync("alive");
        await using var silent = await WsClient.ConnectAsync(front.BaseAddress, front.Token("ghost"), receive: false);

        await Eventually.TrueAsync(async () =>
        {
            var presence = JsonDocument.Parse(await api.GetStringAsync("/api/users/ghost/presence")).RootElement;
            return !presence.GetProperty("online").GetBoolean() && presence.TryGetProperty("lastSeen", out var lastSeen) && lastSeen.ValueKind == JsonValueKind.String;
        }, what: "the silent socket being dropped");

        // The silent socket gets at most one ping before it is dropped; the rest went to the reading one, which has
        // then lived through more than two intervals on pongs alone.
        await Eventually.TrueAsync(() => Task.FromResult(sweeper.PingsSent >= 6), what: "six pings sent");

        Assert.Equal(WebSocketState.Open, alive.Socket.State);
        Assert.False(alive.Closed.IsCompleted);
        Assert.True(JsonDocument.Parse(await api.GetStringAsync("/api/users/alive/presence")).RootElement.GetProperty("online").GetBoolean());
        Assert.Equal(1, JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement.GetProperty("sockets").GetInt32());
        await alive.SendAsync(new { type = "ping" });
        await alive.NextAsync("pong");
    }

    [Fact]
    public async Task Expired_token_closes_with_4001_unless_refreshed()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        // Both tokens expire a few seconds from now; the refresh is the first thing the second socket sends, so a slow
        // machine does not let that token run out first.
        var lifetime = TimeSpan.FromSeconds(4);
        var (stale, _) = await WsClient.ConnectWelcomedAsync(front.BaseAddress, front.Token("alice", lifetime: lifetime));
        await using var _ = stale;
        var (refreshing, _) = await WsClient.ConnectWelcomedAsync(front.BaseAddress, front.Token("alice", lifetime: lifetime));
        await using var __ = refreshing;

        await refreshing.SendAsync(new { type = "refresh", token = front.Token("alice", lifetime: TimeSpan.FromHours(1)) });
        var refreshed = await refreshing.NextAsync("refreshed");
        Assert.True(refreshed.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.AddMinutes(50).ToUnixTimeSeconds());

        // A refresh with someone else's token or a broken one is refused, and the socket stays.
        await refreshing.SendAsync(new { type = "refresh", token = front.Token("mallory") });
        Assert.Equal("forbidden", (await refreshing.NextAsync("error")).GetProperty("code").GetString());
        await refreshing.SendAsync(new { type = "refresh", token = "garbage" });
        Assert.Equal("unauthorized", (await refreshing.NextAsync("error")).GetProperty("code").GetString());

        Assert.Equal((WebSocketCloseStatus)4001, await stale.Closed.WaitAsync(WsClient.Timeout));
        await refreshing.SendAsync(new { type = "ping" });
        await refreshing.NextAsync("pong");
    }

    [Fact]
    public async Task Refreshed_token_is_watched_again_and_closes_with_4001_when_it_expires_in_turn()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        var (alice, _) = await WsClient.ConnectWelcomedAsync(front.BaseAddress, front.Token("alice", lifetime: TimeSpan.FromHours(1)));
        await using var _ = alice;

        await alice.SendAsync(new { type = "refresh", token = front.Token("alice", lifetime: TimeSpan.FromSeconds(2)) });
        await alice.NextAsync("refreshed");

        Assert.Equal((WebSocketCloseStatus)4001, await alice.Closed.WaitAsync(WsClient.Timeout));
    }

    [Fact]
    public async Task Graceful_shutdown_closes_every_socket_with_1001()
    {
        var front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        await using var alice = await front.ConnectAsync("alice");
        await using var bob = await front.ConnectAsync("bob");

        await front.DisposeAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await alice.Closed.WaitAsync(WsClient.Timeout));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await bob.Closed.WaitAsync(WsClient.Timeout));
    }

    private static async Task<WsClient> ConnectWhenAdmittedAsync(TestHost front, string userId)
    {
        using var deadline = new CancellationTokenSource(WsClient.Timeout);
        while (true)
        {
            try
            {
                return await front.ConnectAsync(userId);
            }
            catch (WebSocketException) when (!deadline.IsCancellationRequested)
            {
                await Task.Yield();
            }
        }
    }

    private static HttpRequestMessage UpgradeRequest(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/ws?access_token=" + Uri.EscapeDataString(token));
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        return request;
    }

    /// <summary>A valid direct-message <c>send</c> frame of exactly <paramref name="size"/> UTF-8 bytes.</summary>
    private static string SendFrameOfSize(string id, int size)
    {
        var empty = JsonSerializer.Serialize(new { type = "send", id, to = "bob", data = "" });
        return JsonSerializer.Serialize(new { type = "send", id, to = "bob", data = new string('x', size - empty.Length) });
    }
}
