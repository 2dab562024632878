using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Caching;

/// <summary>Batches cost one command each: counted by a private Redis's own statistics, which no other test touches.</summary>
public sealed class CacheBatchTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private CacheHarness _harness = null!;
    private RawRedis _raw = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _harness = await CacheHarness.StartAsync(_server.Host, _server.Port);
        await _harness.WaitForModeAsync(CacheMode.Redis);
        _raw = await RawRedis.ConnectAsync(_server.Host, _server.Port);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _raw.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetMany_of_100_keys_is_one_MGET_and_no_GET()
    {
        await Assert.AllAsync(Enumerable.Range(0, 100), i => _raw.Db.StringSetAsync($"{_harness.Prefix}k{i}", i));
        var getsBefore = await _raw.CommandCallsAsync("get");
        var mgetsBefore = await _raw.CommandCallsAsync("mget");

        var values = await _harness.Cache.GetManyAsync<int>(Enumerable.Range(0, 100).Select(i => $"k{i}"));

        Assert.Equal(100, values.Count);
        Assert.Equal(57, values["k57"]);
        Assert.Equal(mgetsBefore + 1, await _raw.CommandCallsAsync("mget"));
        Assert.Equal(getsBefore, await _raw.CommandCallsAsync("get"));
    }

    [Fact]
    public async Task SetMany_without_expiry_of_100_keys_is_one_MSET_and_no_SET()
    {
        var setsBefore = await _raw.CommandCallsAsync("set");
        var msetsBefore = await _raw.CommandCallsAsync("mset");

        await _harness.Cache.SetManyAsync(Enumerable.Range(0, 100).Select(i => KeyValuePair.Create($"m{i}", $"v{i}")));

        Assert.Equal(msetsBefore + 1, await _raw.CommandCallsAsync("mset"));
        Assert.Equal(setsBefore, await _raw.CommandCallsAsync("set"));
        Assert.Equal("v99", (string?)await _raw.Db.StringGetAsync(_harness.Prefix + "m99"));
    }
}
