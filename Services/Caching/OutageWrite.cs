namespace WeDrawOS.Services.Caching;

/// <summary>
/// What the fallback must write to Redis for one key when Redis returns: its final value (or its deletion) when
/// the key was set, deleted or given an expiry during the outage, or only the sum of its increments when it was
/// only incremented, so that counters kept by other processes are added to rather than overwritten.
/// </summary>
/// <param name="Key">The prefixed key.</param>
/// <param name="CounterDelta">Set when the key was only incremented: the amount to add.</param>
/// <param name="Value">The value to write when the key is still in the fallback; null means delete it from Redis.</param>
/// <param name="TimeToLive">Remaining time to live of <paramref name="Value"/>, if it has one.</param>
/// <param name="Version">Journal version when taken, so a key written again meanwhile is replayed again.</param>
internal sealed record OutageWrite(string Key, long? CounterDelta, byte[]? Value, TimeSpan? TimeToLive, long Version);
