using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Testing;
using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Caching;

/// <summary>
/// Redis going away and coming back under a running cache service: each test has its own redis-server so it can
/// kill it, freeze it or start it late. The switch times are measured by the benchmark; here only the states.
/// </summary>
public sealed class CacheOutageTests
{
    [Fact]
    public async Task Calls_keep_working_while_redis_is_killed_and_the_outage_writes_reach_redis_when_it_returns()
    {
        await using var server = await RedisServer.StartAsync();
        await using var harness = await CacheHarness.StartAsync(server.Host, server.Port);
        await harness.WaitForModeAsync(CacheMode.Redis);
        var cache = harness.Cache;
        await cache.SetAsync("before", "on redis");

        await server.StopAsync();
        // Calls made right after the kill, before or during the switch, are served without errors.
        await cache.SetAsync("during", "written in the outage", 3600);
        await harness.WaitForModeAsync(CacheMode.MemoryFallback);

        Assert.Equal("written in the outage", await cache.GetAsync<string>("during"));
        Assert.Equal(3, await cache.IncrementAsync("outage-counter", 3));
        await cache.SetAsync("temporary", "set then deleted");
        Assert.True(await cache.DeleteAsync("temporary"));
        Assert.Equal("fallback value", await cache.GetOrSetAsync("lazy", _ => Task.FromResult("fallback value")));

        await server.StartAgainAsync();
        await harness.WaitForModeAsync(CacheMode.Redis);

        // The restarted server lost everything (no persistence); what the outage wrote was replayed.
        await using var raw = await RawRedis.ConnectAsync(server.Host, server.Port);
        Assert.Equal("written in the outage", (string?)await raw.Db.StringGetAsync(harness.Prefix + "during"));
        Assert.NotNull(await raw.Db.KeyTimeToLiveAsync(harness.Prefix + "during"));
        Assert.Equal("3", (string?)await raw.Db.StringGetAsync(harness.Prefix + "outage-counter"));
        Assert.False(await raw.Db.KeyExistsAsync(harness.Prefix + "temporary"));
        Assert.Equal("fallback value", await cache.GetAsync<string>("lazy"));
        Assert.Equal(4, await cache.IncrementAsync("outage-counter"));
    }

    [Fact]
    public async Task A_frozen_redis_is_left_for_the_fallback_and_deletes_and_increments_are_replayed_onto_its_data()
    {
        await using var server = await RedisServer.StartAsync();
        await using var raw = await RawRedis.ConnectAsync(server.Host, server.Port);
        await using var harness = await CacheHarness.StartAsync(server.Host, server.Port);
        await harness.WaitForModeAsync(CacheMode.Redis);
        var cache = harness.Cache;
        await cache.SetAsync("stale", "invalidate me");
        await cache.SetAsync("kept", "untouched");
        Assert.Equal(10, await cache.IncrementAsync("counter", 10));
        var pid = await raw.ProcessIdAsync();

        // SIGSTOP: the sockets stay open but nothing answers, the outage a closed connection does not reveal.
        await RawRedis.SignalAsync(pid, "STOP");
        try
        {
            await harness.WaitForModeAsync(CacheMode.MemoryFallback);
            Assert.False(await cache.DeleteAsync("stale"));
            Assert.Equal(3, await cache.IncrementAsync("counter", 3));
        }
        finally
        {
            await RawRedis.SignalAsync(pid, "CONT");
        }

        await harness.WaitForModeAsync(CacheMode.Redis);

        Assert.False(await raw.Db.KeyExistsAsync(harness.Prefix + "stale"));
        Assert.Equal("untouched", (string?)await raw.Db.StringGetAsync(harness.Prefix + "kept"));
        Assert.Equal("13", (string?)await raw.Db.StringGetAsync(harness.Prefix + "counter"));
        Assert.Null(await cache.GetAsync<string>("stale"));
    }

    [Fact]
    public async Task An_outage_write_redis_refuses_is_deleted_there_and_does_not_hold_up_the_switch_back_or_repeat_the_others()
    {
        await using var server = await RedisServer.StartAsync();
        await using var raw = await RawRedis.ConnectAsync(server.Host, server.Port);
        var logs = new FakeLogCollector();
        await using var harness = await CacheHarness.StartAsync(server.Host, server.Port, logs: logs);
        await harness.WaitForModeAsync(CacheMode.Redis);
        var cache = harness.Cache;
        Assert.Equal(10, await cache.IncrementAsync("counter", 10));
        await cache.SetAsync("label", "not a number");
        var pid = await raw.ProcessIdAsync();

        await RawRedis.SignalAsync(pid, "STOP");
        try
        {
            await harness.WaitForModeAsync(CacheMode.MemoryFallback);
            // The fallback starts empty, so it counts "label" from zero; Redis will refuse INCRBY on its text.
            Assert.Equal(1, await cache.IncrementAsync("label"));
            Assert.Equal(3, await cache.IncrementAsync("counter", 3));
        }
        finally
        {
            await RawRedis.SignalAsync(pid, "CONT");
        }

        await harness.WaitForModeAsync(CacheMode.Redis);

        // The counter's delta was added once, and the refused key became a miss rather than a value this process overwrote.
        Assert.Equal("13", (string?)await raw.Db.StringGetAsync(harness.Prefix + "counter"));
        Assert.False(await raw.Db.KeyExistsAsync(harness.Prefix + "label"));
        Assert.Single(logs.Lines(), l => l.Contains("refused by Redis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Switches_are_logged_once_each_and_no_log_line_holds_a_value_or_the_password()
    {
        await using var server = await RedisServer.StartAsync();
        var logs = new FakeLogCollector();
        await using var harness = await CacheHarness.StartAsync(server.Host, server.Port, logs: logs);
        await harness.WaitForModeAsync(CacheMode.Redis);
        await using var failing = await harness.Cache.SubscribeAsync("events", _ => throw new InvalidOperationException("handler bug"));
        await harness.Cache.SetAsync("secret", "value-marker-1");

        await server.StopAsync();
        await harness.WaitForModeAsync(CacheMode.MemoryFallback);
        for (var i = 0; i < 50; i++)
        {
            await harness.Cache.SetAsync($"secret{i}", "value-marker-2");
            Assert.Equal("value-marker-2", await harness.Cache.GetAsync<string>($"secret{i}"));
        }

        await harness.Cache.PublishAsync("events", "message-marker");
        await server.StartAgainAsync();
        await harness.WaitForModeAsync(CacheMode.Redis);
        await harness.Cache.SetAsync("secret", "value-marker-3");

        var lines = logs.Lines();
        Assert.Single(lines, l => l.Contains("switched to its memory fallback", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("switched back to Redis", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("A subscriber of cache channel events failed", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("marker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_redis_password_is_never_logged()
    {
        var logs = new FakeLogCollector();
        await using (var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next(), logs: logs, password: "password-marker"))
        {
            await harness.WaitForModeAsync(CacheMode.MemoryFallback);
            await harness.Cache.SetAsync("key", "value");
        }

        Assert.Contains(logs.Lines(), l => l.Contains("memory fallback", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines(), l => l.Contains("password-marker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_replay_turned_off_the_outage_writes_stay_out_of_redis()
    {
        await using var server = await RedisServer.StartAsync();
        await using var harness = await CacheHarness.StartAsync(server.Host, server.Port, configure: o => o.ReplayOutageWrites = false);
        await harness.WaitForModeAsync(CacheMode.Redis);

        await server.StopAsync();
        await harness.WaitForModeAsync(CacheMode.MemoryFallback);
        await harness.Cache.SetAsync("during", "memory only");
        await server.StartAgainAsync();
        await harness.WaitForModeAsync(CacheMode.Redis);

        Assert.False(await harness.Cache.ExistsAsync("during"));
    }

    [Fact]
    public async Task Redis_absent_at_start_is_used_as_soon_as_it_appears()
    {
        var server = await RedisServer.StartAsync();
        await server.StopAsync();
        await using var harness = await CacheHarness.StartAsync(server.Host, server.Port);
        try
        {
            await harness.WaitForModeAsync(CacheMode.MemoryFallback);
            await harness.Cache.SetAsync("early", "before redis");
            Assert.Equal("before redis", await harness.Cache.GetAsync<string>("early"));

            await server.StartAgainAsync();
            await harness.WaitForModeAsync(CacheMode.Redis);

            await harness.Cache.SetAsync("late", "on redis");
            await using var raw = await RawRedis.ConnectAsync(server.Host, server.Port);
            Assert.Equal("on redis", (string?)await raw.Db.StringGetAsync(harness.Prefix + "late"));
            Assert.Equal("before redis", (string?)await raw.Db.StringGetAsync(harness.Prefix + "early"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_subscription_made_while_redis_is_absent_receives_messages_once_it_appears()
    {
        var server = await RedisServer.StartAsync();
        await server.StopAsync();
        try
        {
            await using var subscriber = await CacheHarness.StartAsync(server.Host, server.Port);
            await subscriber.WaitForModeAsync(CacheMode.MemoryFallback);
            var received = new List<string>();
            await using var subscription = await subscriber.Cache.SubscribeAsync("notifications", m =>
            {
                lock (received)
                {
                    received.Add(m.Payload);
                }

                return Task.CompletedTask;
            });

            await server.StartAgainAsync();
            await subscriber.WaitForModeAsync(CacheMode.Redis);
            await using var publisher = await CacheHarness.StartAsync(server.Host, server.Port);
            await publisher.WaitForModeAsync(CacheMode.Redis);

            await PublishUntilReceivedAsync(publisher.Cache, received, "from another process");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_subscription_survives_a_redis_restart()
    {
        await using var server = await RedisServer.StartAsync();
        await using var subscriber = await CacheHarness.StartAsync(server.Host, server.Port);
        await using var publisher = await CacheHarness.StartAsync(server.Host, server.Port);
        await subscriber.WaitForModeAsync(CacheMode.Redis);
        await publisher.WaitForModeAsync(CacheMode.Redis);
        var received = new List<string>();
        await using var subscription = await subscriber.Cache.SubscribeAsync("notifications", m =>
        {
            lock (received)
            {
                received.Add(m.Payload);
            }

            return Task.CompletedTask;
        });
        await PublishUntilReceivedAsync(publisher.Cache, received, "before");

        await server.StopAsync();
        await subscriber.WaitForModeAsync(CacheMode.MemoryFallback);
        // On the fallback, a message published in the subscriber's own process still reaches it.
        Assert.Equal(1, await subscriber.Cache.PublishAsync("notifications", "local during outage"));
        await server.StartAgainAsync();
        await subscriber.WaitForModeAsync(CacheMode.Redis);
        await publisher.WaitForModeAsync(CacheMode.Redis);

        await PublishUntilReceivedAsync(publisher.Cache, received, "after restart");

        lock (received)
        {
            Assert.Contains("local during outage", received);
        }
    }

    [Fact]
    public async Task A_front_reports_redis_degraded_and_the_fallback_mode_while_redis_is_down()
    {
        await using var server = await RedisServer.StartAsync();
        var settings = TestHost.EmbeddedSettings();
        settings["REDIS_PORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var front = await TestHost.StartFrontAsync(settings);
        var cache = front.GetRequiredService<ICacheService>();

        await WaitForStatusAsync(front, "redis");
        Assert.Equal("healthy", await RedisHealthAsync(front));
        await cache.SetAsync("front-key", "value");

        await server.StopAsync();
        await WaitForStatusAsync(front, "memory-fallback");

        var ready = await front.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("degraded", await RedisHealthAsync(front));
        await cache.SetAsync("front-key", "still served");
        Assert.Equal("still served", await cache.GetAsync<string>("front-key"));

        await server.StartAgainAsync();
        await WaitForStatusAsync(front, "redis");
        Assert.Equal("healthy", await RedisHealthAsync(front));
    }

    // Re-subscribing after a reconnect is asynchronous: publish again until one copy arrives, then stop.
    private static Task PublishUntilReceivedAsync(ICacheService publisher, List<string> received, string payload) =>
        Eventually.TrueAsync(
            async () =>
            {
                lock (received)
                {
                    if (received.Contains(payload))
                    {
                        return true;
                    }
                }

                await publisher.PublishAsync("notifications", payload);
                return false;
            },
            TimeSpan.FromSeconds(20),
            $"'{payload}' reaching the subscriber");

    private static Task WaitForStatusAsync(TestHost front, string mode) =>
        Eventually.TrueAsync(
            async () => JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement.GetProperty("cacheMode").GetString() == mode,
            TimeSpan.FromSeconds(20),
            "/api/status showing cacheMode " + mode);

    private static async Task<string?> RedisHealthAsync(TestHost front)
    {
        var body = JsonDocument.Parse(await front.Http.GetStringAsync("/health/ready")).RootElement;
        return body.GetProperty("services").GetProperty("redis").GetProperty("status").GetString();
    }
}
