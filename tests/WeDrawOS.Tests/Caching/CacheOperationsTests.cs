using System.Diagnostics;
using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Caching;

/// <summary>Every operation of the cache service against a real Redis, checked through a plain connection too.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class CacheOperationsTests(SharedRedis redis) : IAsyncLifetime
{
    private CacheHarness _harness = null!;
    private RawRedis _raw = null!;

    private ICacheService Cache => _harness.Cache;

    public async Task InitializeAsync()
    {
        _harness = await CacheHarness.StartAsync(redis.Host, redis.Port);
        await _harness.WaitForModeAsync(CacheMode.Redis);
        _raw = await RawRedis.ConnectAsync(redis.Host, redis.Port);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _raw.DisposeAsync();
    }

    [Fact]
    public async Task Strings_are_stored_as_plain_text_under_the_key_prefix()
    {
        await Cache.SetAsync("greeting", "héllo \"world\"");

        Assert.Equal("héllo \"world\"", await Cache.GetAsync<string>("greeting"));
        Assert.Equal("héllo \"world\"", (string?)await _raw.Db.StringGetAsync(_harness.Prefix + "greeting"));
        Assert.False(await _raw.Db.KeyExistsAsync("greeting"));
    }

    [Fact]
    public async Task Objects_are_stored_as_camel_case_json_and_read_back_typed()
    {
        var profile = new Profile("alice", 42, ["agent", "admin"]);

        await Cache.SetAsync("profile:alice", profile);

        var read = await Cache.GetAsync<Profile>("profile:alice");
        Assert.NotNull(read);
        Assert.Equal(profile.Name, read.Name);
        Assert.Equal(profile.Age, read.Age);
        Assert.Equal(profile.Roles, read.Roles);
        Assert.Equal("{\"name\":\"alice\",\"age\":42,\"roles\":[\"agent\",\"admin\"]}", (string?)await _raw.Db.StringGetAsync(_harness.Prefix + "profile:alice"));
    }

    [Fact]
    public async Task A_missing_key_reads_as_default()
    {
        Assert.Null(await Cache.GetAsync<string>("nothing-here"));
        Assert.Null(await Cache.GetAsync<Profile>("nothing-here"));
        Assert.Equal(0, await Cache.GetAsync<int>("nothing-here"));
    }

    [Fact]
    public async Task A_value_that_is_not_json_for_the_type_asked_gives_a_clear_error()
    {
        await Cache.SetAsync("plain", "not json");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Cache.GetAsync<Profile>("plain"));
        Assert.Contains("'plain'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_and_exists_report_whether_the_key_was_there()
    {
        await Cache.SetAsync("doomed", 1);

        Assert.True(await Cache.ExistsAsync("doomed"));
        Assert.True(await Cache.DeleteAsync("doomed"));
        Assert.False(await Cache.ExistsAsync("doomed"));
        Assert.False(await Cache.DeleteAsync("doomed"));
        Assert.False(await _raw.Db.KeyExistsAsync(_harness.Prefix + "doomed"));
    }

    [Fact]
    public async Task Set_with_an_expiry_in_seconds_gives_the_key_that_time_to_live()
    {
        await Cache.SetAsync("session", "token", 3600);
        await Cache.SetAsync("forever", "value");

        var ttl = await _raw.Db.KeyTimeToLiveAsync(_harness.Prefix + "session");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(3500), TimeSpan.FromSeconds(3600));
        Assert.Null(await _raw.Db.KeyTimeToLiveAsync(_harness.Prefix + "forever"));
    }

    [Fact]
    public async Task An_expired_key_is_gone()
    {
        await Cache.SetAsync("short-lived", "soon gone", 1);
        Assert.Equal("soon gone", await Cache.GetAsync<string>("short-lived"));

        await Eventually.TrueAsync(async () => !await Cache.ExistsAsync("short-lived"));

        Assert.Null(await Cache.GetAsync<string>("short-lived"));
    }

    [Fact]
    public async Task Expire_gives_an_existing_key_a_time_to_live_and_reports_a_missing_one()
    {
        await Cache.SetAsync("later", "value");

        Assert.True(await Cache.ExpireAsync("later", 120));
        Assert.False(await Cache.ExpireAsync("never-set", 120));

        var ttl = await _raw.Db.KeyTimeToLiveAsync(_harness.Prefix + "later");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task Increment_counts_from_zero_and_reads_back_as_a_number()
    {
        Assert.Equal(1, await Cache.IncrementAsync("visits"));
        Assert.Equal(11, await Cache.IncrementAsync("visits", 10));
        Assert.Equal(8, await Cache.IncrementAsync("visits", -3));

        Assert.Equal(8, await Cache.GetAsync<long>("visits"));
        Assert.Equal("8", (string?)await _raw.Db.StringGetAsync(_harness.Prefix + "visits"));
    }

    [Fact]
    public async Task Incrementing_something_that_is_not_a_number_is_refused()
    {
        await Cache.SetAsync("name", "alice");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Cache.IncrementAsync("name"));
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.Equal("alice", await Cache.GetAsync<string>("name"));
    }

    [Fact]
    public async Task SetMany_and_GetMany_round_trip_values_and_leave_out_missing_keys()
    {
        var items = Enumerable.Range(0, 50).ToDictionary(i => $"item:{i}", i => new Profile($"user{i}", i, []));

        await Cache.SetManyAsync(items, 600);
        var read = await Cache.GetManyAsync<Profile>(items.Keys.Append("item:missing"));

        Assert.Equal(50, read.Count);
        Assert.False(read.ContainsKey("item:missing"));
        Assert.All(items, kv => Assert.Equal(kv.Value.Age, read[kv.Key].Age));
        var ttl = await _raw.Db.KeyTimeToLiveAsync(_harness.Prefix + "item:7");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(500), TimeSpan.FromSeconds(600));
    }

    [Fact]
    public async Task SetMany_checks_every_item_before_writing_any()
    {
        var items = new Dictionary<string, string> { ["fine"] = "value", [new string('k', 2000)] = "value" };

        await Assert.ThrowsAsync<ArgumentException>(() => Cache.SetManyAsync(items));

        Assert.False(await Cache.ExistsAsync("fine"));
    }

    [Fact]
    public async Task GetOrSet_with_100_concurrent_callers_runs_the_factory_once()
    {
        var calls = 0;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Every call is started before the factory may finish, so all 100 misses overlap.
        var callers = Enumerable.Range(0, 100)
            .Select(_ => Cache.GetOrSetAsync("expensive", _ =>
            {
                Interlocked.Increment(ref calls);
                return release.Task;
            }, 60))
            .ToArray();
        release.SetResult("computed once");
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal("computed once", r));
        Assert.Equal("computed once", (string?)await _raw.Db.StringGetAsync(_harness.Prefix + "expensive"));
    }

    [Fact]
    public async Task GetOrSet_returns_a_cached_value_without_calling_the_factory()
    {
        await Cache.SetAsync("known", 7);

        var value = await Cache.GetOrSetAsync<int>("known", _ => throw new InvalidOperationException("factory must not run"));

        Assert.Equal(7, value);
    }

    [Fact]
    public async Task A_failing_factory_fails_its_callers_and_the_next_call_tries_again()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => Cache.GetOrSetAsync<string>("flaky", _ => throw new TimeoutException("backend slow")));

        Assert.Equal("second try", await Cache.GetOrSetAsync("flaky", _ => Task.FromResult("second try")));
    }

    [Fact]
    public async Task A_message_published_by_one_instance_reaches_the_subscribers_of_another()
    {
        await using var other = await CacheHarness.StartAsync(redis.Host, redis.Port);
        await other.WaitForModeAsync(CacheMode.Redis);
        var channel = "notifications-" + Guid.NewGuid().ToString("N");
        var received = new TaskCompletionSource<CacheMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await other.Cache.SubscribeAsync(channel, m =>
        {
            received.TrySetResult(m);
            return Task.CompletedTask;
        });

        var reached = await Cache.PublishAsync(channel, new { type = "order_paid", content = "Order 42 paid" });

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, reached);
        Assert.Equal(channel, message.Channel);
        Assert.Equal("{\"type\":\"order_paid\",\"content\":\"Order 42 paid\"}", message.Payload);
        Assert.Equal("order_paid", message.As<Notice>()!.Type);
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        var channel = "chan-" + Guid.NewGuid().ToString("N");
        var first = new List<string>();
        var second = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = await Cache.SubscribeAsync(channel, m =>
        {
            lock (first)
            {
                first.Add(m.Payload);
            }

            return Task.CompletedTask;
        });
        await using var keeper = await Cache.SubscribeAsync(channel, m =>
        {
            if (m.Payload == "after")
            {
                second.TrySetResult(m.Payload);
            }

            return Task.CompletedTask;
        });

        await subscription.DisposeAsync();
        Assert.Equal(1, await Cache.PublishAsync(channel, "after"));

        // The handler still subscribed got the message, so the disposed one would have had it by now.
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (first)
        {
            Assert.Empty(first);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_keys_are_refused(string key)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Cache.SetAsync(key, "value"));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Cache.GetAsync<string>(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Cache.SubscribeAsync(key, _ => Task.CompletedTask));
    }

    [Fact]
    public async Task Keys_longer_than_the_limit_are_refused_with_the_variable_named()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Cache.SetAsync(new string('k', 1025), "value"));

        Assert.Contains("CACHE_MAX_KEY_BYTES", error.Message, StringComparison.Ordinal);
        await Cache.SetAsync(new string('k', 1024), "value");
    }

    [Fact]
    public async Task Values_larger_than_the_limit_are_refused_and_nothing_is_stored()
    {
        await using var small = await CacheHarness.StartAsync(redis.Host, redis.Port, configure: o => o.MaxValueBytes = 100);
        await small.WaitForModeAsync(CacheMode.Redis);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => small.Cache.SetAsync("big", new string('v', 101)));
        await Assert.ThrowsAsync<ArgumentException>(() => small.Cache.PublishAsync("big-channel", new string('v', 101)));

        Assert.Contains("CACHE_MAX_VALUE_BYTES", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("vvvv", error.Message, StringComparison.Ordinal);
        Assert.False(await small.Cache.ExistsAsync("big"));
    }

    [Fact]
    public async Task Null_values_and_non_positive_expiries_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Cache.SetAsync<string?>("key", null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Cache.SetAsync("key", "value", 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Cache.ExpireAsync("key", -1));
    }

    private sealed record Profile(string Name, int Age, string[] Roles);

    private sealed record Notice(string Type, string Content);
}
