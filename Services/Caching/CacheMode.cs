namespace WeDrawOS.Services.Caching;

/// <summary>Where the cache service serves from.</summary>
public enum CacheMode
{
    /// <summary>Redis answers; every call goes to it.</summary>
    Redis,

    /// <summary>Redis is away (or not yet reached at start); calls are served by the bounded in-memory store.</summary>
    MemoryFallback,
}
