using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Frames an ordinary signed-in user can send to make a front misbehave: each gets an <c>error</c> frame with a code
/// the contract names, the connection stays open, and what was accepted before is answered.
/// </summary>
public sealed class SocketInputAttackTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Strings_that_are_not_valid_UTF_16_get_bad_request_and_the_connection_stays_open()
    {
        await using var mallory = await _front.ConnectAsync("mallory");
        await mallory.SendAsync(new { type = "send", id = "before", room = "utf16-room", data = 1 });

        // A lone surrogate is valid JSON (an escape) but no .NET string can be read from it. In `id` it closed the
        // socket with 1011 (and was logged as a cluster failure); elsewhere it was answered `internal`.
        await mallory.SendTextAsync("""{"type":"ping","id":"\ud800"}""");
        await mallory.NextAsync("pong");
        foreach (var frame in new[]
        {
            """{"type":"send","id":"\udc00","room":"utf16-room","data":2}""",
            """{"type":"join","room":"a\ud800b"}""",
            """{"type":"refresh","token":"\ud800"}""",
            """{"type":"\ud800"}""",
        })
        {
            await mallory.SendTextAsync(frame);
            var error = await mallory.NextAsync("error");
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            Assert.False(error.TryGetProperty("id", out _));
        }

        var acked = await mallory.NextAsync("ack");
        Assert.Equal(("before", 1L), (acked.GetProperty("id").GetString(), acked.GetProperty("seq").GetInt64()));
        await mallory.SendAsync(new { type = "ping" });
        await mallory.NextAsync("pong");
        Assert.Equal(WebSocketState.Open, mallory.Socket.State);
        Assert.Empty(mallory.Unread("ack"));
    }

    [Fact]
    public async Task Rooms_and_users_named_for_the_first_time_outside_joins_take_the_join_budget()
    {
        // The frame rate limit is lifted so that only the join budget acts: a bucket of 60, refilled at 60 a minute.
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(
            ("WS_RATE_BURST", "100000"), ("WS_RATE_PER_SECOND", "100000"), ("WS_JOIN_RATE_PER_MINUTE", "60")));
        await using var mallory = await front.ConnectAsync("mallory");
        var clock = Stopwatch.StartNew();

        // Each frame names a room or user never seen: without the budget every one woke a grain (about 475 a second
        // from one user, kept for the 15 minutes grains idle), and each send stored a room or an inbox.
        const int perKind = 100;
        var frames = Enumerable.Range(0, perKind).SelectMany(n => new object[]
        {
            new { type = "history", room = $"h-{n}", id = $"h{n}" },
            new { type = "presence", room = $"p-{n}", id = $"p{n}" },
            new { type = "read", room = $"r-{n}", seq = 1, id = $"r{n}" },
            new { type = "send", room = $"s-{n}", data = n, id = $"s{n}" },
            new { type = "send", to = $"u-{n}", data = n, id = $"u{n}" },
        }).ToList();
        foreach (var frame in frames)
        {
            await mallory.SendAsync(frame);
        }

        var answers = new List<JsonElement>();
        for (var n = 0; n < frames.Count; n++)
        {
            answers.Add(await mallory.WaitForAsync(f => f.GetProperty("type").GetString() is "history" or "presence" or "receipt" or "ack" or "error"));
        }

        var refused = answers.Where(a => a.GetProperty("type").GetString() == "error" && a.GetProperty("code").GetString() == "rate_limited").ToList();
        var served = answers.Count - refused.Count;
        Assert.InRange(served, 60, 60 + (int)Math.Ceiling(clock.Elapsed.TotalMinutes * 60));
        Assert.All(refused, e => Assert.True(e.TryGetProperty("id", out _)));

        // A refused send stored nothing: its room was never created.
        var refusedRoom = refused.Select(e => e.GetProperty("id").GetString()!).First(id => id.StartsWith('s'));
        using var api = RealtimeFront.ApiClient(front.BaseAddress);
        var history = await api.GetFromJsonAsync<JsonElement>($"/api/rooms/s-{refusedRoom[1..]}/history");
        Assert.Empty(history.GetProperty("messages").EnumerateArray());

        // A client that keeps to its rooms and a few correspondents spends one join per name, however much it sends.
        await using var alice = await front.ConnectAsync("alice");
        Assert.Equal("joined", (await alice.JoinAsync("home")).GetProperty("type").GetString());
        for (var n = 0; n < 100; n++)
        {
            await alice.SendAsync(new { type = "send", room = "home", data = n, id = $"home-{n}" });
            await alice.SendAsync(new { type = "send", to = "bob", data = n, id = $"bob-{n}" });
            await alice.SendAsync(new { type = "history", room = "lobby", limit = 1 });
            await alice.SendAsync(new { type = "presence", room = "home" });
        }

        for (var n = 0; n < 400; n++)
        {
            var answer = await alice.WaitForAsync(f => f.GetProperty("type").GetString() is "history" or "presence" or "ack" or "error");
            Assert.NotEqual("error", answer.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Conversation_lists_take_the_join_budget()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(
            ("WS_RATE_BURST", "100000"), ("WS_RATE_PER_SECOND", "100000"), ("WS_JOIN_RATE_PER_MINUTE", "10")));
        await using var mallory = await front.ConnectAsync("mallory");
        Assert.Equal("joined", (await mallory.JoinAsync("m-1")).GetProperty("type").GetString());
        var clock = Stopwatch.StartNew();

        // Each `rooms` asks every room the user is in (up to 1,000 grain calls): asked in a loop it was a thousandfold
        // amplifier of the frame rate.
        for (var n = 0; n < 50; n++)
        {
            await mallory.SendAsync(new { type = "rooms", id = $"l{n}" });
        }

        var answers = new List<JsonElement>();
        for (var n = 0; n < 50; n++)
        {
            answers.Add(await mallory.WaitForAsync(f => f.GetProperty("type").GetString() is "rooms" or "error"));
        }

        var refused = answers.Where(a => a.GetProperty("type").GetString() == "error").ToList();
        Assert.All(refused, e => Assert.Equal("rate_limited", e.GetProperty("code").GetString()));
        Assert.InRange(answers.Count - refused.Count, 9, 9 + (int)Math.Ceiling(clock.Elapsed.TotalMinutes * 10));
    }
}
