namespace WeDrawOS.Services.Caching;

/// <summary>
/// The cache of the original service, over Redis with an automatic in-memory fallback. Keys are namespaced by
/// <c>REDIS_KEY_PREFIX</c>; strings are stored as plain text, other values as JSON. While Redis is away every
/// call is served from memory instead of failing; bad input (empty or too long key, too large value, non-positive
/// expiry) throws an <see cref="ArgumentException"/>. One instance per process (a singleton).
/// </summary>
public interface ICacheService
{
    /// <summary>Where calls are served from right now.</summary>
    CacheMode Mode { get; }

    /// <summary>The value of <paramref name="key"/>, or default when it is missing or expired.</summary>
    /// <exception cref="InvalidOperationException">when the stored value cannot be read as <typeparamref name="T"/>.</exception>
    Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> (not null), expiring after <paramref name="expirySeconds"/> when given: <c>SetAsync("key", value, 3600)</c>.</summary>
    Task SetAsync<T>(string key, T value, int? expirySeconds = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the key; true when it existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Gives an existing key an expiry; false when the key does not exist.</summary>
    Task<bool> ExpireAsync(string key, int seconds, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="by"/> to the whole number at <paramref name="key"/> (missing counts as 0) and returns the result.</summary>
    /// <exception cref="InvalidOperationException">when the key holds something other than a whole number.</exception>
    Task<long> IncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>The values of the keys that exist, in one round trip; missing keys are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores every pair in one round trip; every key and value is checked before anything is written.</summary>
    Task SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, int? expirySeconds = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The cached value, or the factory's result stored and returned on a miss. Concurrent misses for one key run
    /// the factory once in this process; the others wait for its result. A null result is returned, not cached.
    /// The factory runs to its end even when the caller that started it gives up.
    /// </summary>
    Task<T?> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, int? expirySeconds = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a message (a string as is, anything else as JSON) on a channel, which is not prefixed so that
    /// other systems can use the same channel names. Returns the number of subscribers reached (on the fallback,
    /// those of this process).
    /// </summary>
    Task<long> PublishAsync<T>(string channel, T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for every message on <paramref name="channel"/>, in order, until the returned
    /// subscription is disposed. The subscription survives Redis reconnects and fallback periods.
    /// </summary>
    Task<CacheSubscription> SubscribeAsync(string channel, Func<CacheMessage, Task> handler, CancellationToken cancellationToken = default);
}
