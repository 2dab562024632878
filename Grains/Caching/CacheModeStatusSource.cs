using WeDrawOS.Grains.Hosting.ServiceManagement;

namespace WeDrawOS.Grains.Caching;

/// <summary>The <c>cacheMode</c> field of <c>/api/status</c>: <c>redis</c> or <c>memory-fallback</c>.</summary>
public sealed class CacheModeStatusSource(RedisConnection redis) : IStatusSource
{
    public string Name => "cacheMode";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(redis.IsConnected ? "redis" : "memory-fallback");
}
