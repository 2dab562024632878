namespace WeDrawOS.Services.Caching;

/// <summary>The names of <see cref="CacheMode"/> in <c>/api/status</c> and logs.</summary>
public static class CacheModeNames
{
    public const string Redis = "redis";

    public const string MemoryFallback = "memory-fallback";

    public static string ToName(this CacheMode mode) => mode == CacheMode.Redis ? Redis : MemoryFallback;
}
