using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront.Sockets;

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

    [Fact]
    public async Task Slow_reader_is_closed_with_1013_instead_of_queueing_without_bound()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_SEND_QUEUE_LIMIT", "4"), ("INBOX_SIZE", "5")));
        await using var slow = await WsClient.ConnectAsync(front.BaseAddress, front.Token("slow"), receive: false);
        using var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);

        // The upgrade returns before the socket is registered with the user's grain; a message sent before then finds
        // the user offline and would end the loop below after one message.
        await Eventually.TrueAsync(async () => JsonDocument.Parse(await api.GetStringAsync("/api/users/slow/presence")).RootElement.GetProperty("online").GetBoolean());

        // Far more than the loopback socket buffers hold, so the send queue has to fill up.
        var payload = new string('y', 256 * 1024);
        var online = true;
        for (var n = 0; n < 120 && online; n++)
        {
            var response = await api.PostAsJsonAsync("/api/users/slow/messages", new { data = payload });
            online = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("online").GetBoolean();
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
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("WS_PING_INTERVAL", "300")));
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

    /// <summary>A valid direct-message <c>send</c> frame of exactly <paramref name="size"/> UTF-8 bytes.</summary>
    private static string SendFrameOfSize(string id, int size)
    {
        var empty = JsonSerializer.Serialize(new { type = "send", id, to = "bob", data = "" });
        return JsonSerializer.Serialize(new { type = "send", id, to = "bob", data = new string('x', size - empty.Length) });
    }
}
