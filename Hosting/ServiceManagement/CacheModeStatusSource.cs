using WeDrawOS.Services.Caching;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>The <c>cacheMode</c> field of <c>/api/status</c>: the cache service's mode, <c>redis</c> or <c>memory-fallback</c>.</summary>
public sealed class CacheModeStatusSource(ICacheService cache) : IStatusSource
{
    public string Name => "cacheMode";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<object?>(cache.Mode.ToName());
}
