using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Caching;

/// <summary>The memory fallback on its own: a cache whose Redis is nowhere (a free port nobody listens on).</summary>
public sealed class CacheFallbackTests
{
    [Fact]
    public async Task Without_redis_at_start_every_operation_is_served_from_memory()
    {
        await using var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next());
        var cache = harness.Cache;

        await cache.SetAsync("name", "alice");
        await cache.SetManyAsync(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });

        Assert.Equal(CacheMode.MemoryFallback, cache.Mode);
        Assert.Equal("alice", await cache.GetAsync<string>("name"));
        Assert.Equal(2, (await cache.GetManyAsync<int>(["a", "b", "c"])).Count);
        Assert.True(await cache.ExistsAsync("a"));
        Assert.True(await cache.DeleteAsync("a"));
        Assert.False(await cache.ExistsAsync("a"));
        Assert.Equal(5, await cache.IncrementAsync("counter", 5));
        Assert.Equal(6, await cache.IncrementAsync("counter"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.IncrementAsync("name"));
        Assert.True(await cache.ExpireAsync("b", 60));
        Assert.False(await cache.ExpireAsync("a", 60));
        Assert.Equal("made", await cache.GetOrSetAsync("lazy", _ => Task.FromResult("made")));
        Assert.Equal("made", await cache.GetAsync<string>("lazy"));
    }

    [Fact]
    public async Task Expiry_is_honoured_on_the_fallback()
    {
        await using var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next());
        await harness.Cache.SetAsync("short", "value", 1);
        await harness.Cache.SetAsync("long", "value", 3600);
        Assert.True(await harness.Cache.ExistsAsync("short"));

        await Eventually.TrueAsync(async () => !await harness.Cache.ExistsAsync("short"), TimeSpan.FromSeconds(20), "the short entry expiring");

        Assert.True(await harness.Cache.ExistsAsync("long"));
    }

    [Fact]
    public async Task The_fallback_keeps_at_most_its_entry_limit_dropping_the_least_recently_used()
    {
        await using var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next(), configure: o => o.FallbackMaxEntries = 3);
        var cache = harness.Cache;
        await cache.SetAsync("one", 1);
        await cache.SetAsync("two", 2);
        await cache.SetAsync("three", 3);
        Assert.Equal(1, await cache.GetAsync<int>("one"));

        await cache.SetAsync("four", 4);

        Assert.Equal(3, harness.Service.FallbackEntries);
        Assert.False(await cache.ExistsAsync("two"));
        Assert.True(await cache.ExistsAsync("one"));
        Assert.True(await cache.ExistsAsync("three"));
        Assert.True(await cache.ExistsAsync("four"));
    }

    [Fact]
    public async Task The_fallback_keeps_at_most_its_byte_limit()
    {
        await using var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next(), configure: o =>
        {
            o.FallbackMaxBytes = 10_000;
            o.MaxValueBytes = 4_000;
        });

        for (var i = 0; i < 10; i++)
        {
            await harness.Cache.SetAsync($"blob{i}", new string('x', 3_000));
        }

        Assert.InRange(harness.Service.FallbackEntries, 1, 3);
        Assert.True(await harness.Cache.ExistsAsync("blob9"));
        Assert.False(await harness.Cache.ExistsAsync("blob0"));
    }

    [Fact]
    public async Task Pub_sub_is_delivered_in_process_on_the_fallback()
    {
        await using var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next());
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await harness.Cache.SubscribeAsync("notifications", m =>
        {
            received.TrySetResult(m.Payload);
            return Task.CompletedTask;
        });

        var reached = await harness.Cache.PublishAsync("notifications", new { type = "hello", content = "local" });

        Assert.Equal(1, reached);
        Assert.Equal("{\"type\":\"hello\",\"content\":\"local\"}", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others()
    {
        await using var harness = await CacheHarness.StartAsync("127.0.0.1", FreePort.Next());
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var failing = await harness.Cache.SubscribeAsync("events", _ => throw new InvalidOperationException("handler bug"));
        await using var working = await harness.Cache.SubscribeAsync("events", m =>
        {
            received.TrySetResult(m.Payload);
            return Task.CompletedTask;
        });

        Assert.Equal(2, await harness.Cache.PublishAsync("events", "ping"));

        Assert.Equal("ping", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
