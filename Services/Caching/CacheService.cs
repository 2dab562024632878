using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// <see cref="ICacheService"/> over the process's <see cref="RedisConnection"/>, with the in-memory fallback.
/// It switches to the fallback when the multiplexer reports the connection lost, when a call fails to reach
/// Redis, or when the background ping fails; it switches back when the ping succeeds again, after replaying the
/// writes made during the outage (see docs/cache.md). Each switch is logged once.
/// </summary>
public sealed partial class CacheService : ICacheService, IHostedService, IAsyncDisposable
{
    /// <summary>How long a start-up call may wait for the first connection before it is served from memory.</summary>
    private static readonly TimeSpan StartupWait = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// A ping slower than this counts as Redis being away: with the default probe interval a silent outage (a
    /// frozen server, a dropped network path) is noticed within interval + timeout = 850 ms.
    /// </summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(600);

    private const int Undecided = 0;
    private const int OnRedis = 1;
    private const int OnFallback = 2;

    private readonly RedisConnection _redis;
    private readonly CacheOptions _options;
    private readonly CacheLimits _limits;
    private readonly MemoryCacheStore _memory;
    private readonly CacheSubscriptions _subscriptions;
    private readonly SingleFlight _flights = new();
    private readonly ILogger<CacheService> _logger;
    private readonly TaskCompletionSource _decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CacheMetrics _metrics;
    private readonly Lock _switchLock = new();
    private volatile int _state = Undecided;
    private IDatabase? _database;
    private IConnectionMultiplexer? _hooked;
    private Task _probe = Task.CompletedTask;
    private long _modeSinceTicks = DateTimeOffset.UtcNow.UtcTicks;

    public CacheService(RedisConnection redis, IOptions<CacheOptions> options, CacheMetrics metrics, ILogger<CacheService> logger)
    {
        _metrics = metrics;
        metrics.ObserveMode(() => Mode);
        _redis = redis;
        _options = options.Value;
        _logger = logger;
        _limits = new CacheLimits(_options, redis.Options.KeyPrefix);
        _memory = new MemoryCacheStore(_options, journal: _options.ReplayOutageWrites);
        _subscriptions = new CacheSubscriptions(logger);
    }

    public CacheMode Mode => _state == OnRedis ? CacheMode.Redis : CacheMode.MemoryFallback;

    /// <summary>When the current mode began.</summary>
    public DateTimeOffset ModeSince
    {
        // Stored as ticks so that a health check reading it while the probe switches never sees a torn value.
        get => new(Interlocked.Read(ref _modeSinceTicks), TimeSpan.Zero);
        private set => Interlocked.Exchange(ref _modeSinceTicks, value.UtcTicks);
    }

    /// <summary>Entries held by the fallback (0 while on Redis).</summary>
    public int FallbackEntries => _memory.Count;

    /// <summary>Where Redis is, for health output (never the password).</summary>
    public string Endpoint => _redis.Options.ToString();

    /// <summary>True until the first decision between Redis and the fallback is made at start.</summary>
    public bool Starting => _state == Undecided;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _probe = Task.Run(() => ProbeLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _probe.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // The container disposes this once per registration (the class and its interface), so stopping must be
    // repeatable; the token source is left to the collector for the same reason.
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    public Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        var prefixed = _limits.Key(key);
        // The hot path gets its own single state machine, so a read costs what a raw StackExchange.Redis read costs.
        return _state == OnRedis && _database is { } database
            ? GetFromRedisAsync<T>(database, key, prefixed, cancellationToken)
            : GetFromAnywhereAsync<T>(key, prefixed, cancellationToken);
    }

    public Task SetAsync<T>(string key, T value, int? expirySeconds = null, CancellationToken cancellationToken = default)
    {
        var prefixed = _limits.Key(key);
        var expiry = CacheLimits.Expiry(expirySeconds);
        var encoded = CacheCodec.Encode(value);
        _limits.Value(key, encoded);
        return _state == OnRedis && _database is { } database
            ? SetOnRedisAsync(database, prefixed, encoded, expiry, cancellationToken)
            : SetValueAsync(prefixed, encoded, expiry, cancellationToken);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync(
            _limits.Key(key),
            static (db, k) => db.KeyDeleteAsync(k),
            static (store, k) => (store.TryDelete(k, out var removed), removed),
            cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync(
            _limits.Key(key),
            static (db, k) => db.KeyExistsAsync(k),
            static (store, k) => (store.TryExists(k, out var exists), exists),
            cancellationToken);

    public Task<bool> ExpireAsync(string key, int seconds, CancellationToken cancellationToken = default)
    {
        var expiry = CacheLimits.Expiry(seconds, nameof(seconds))!.Value;
        return RunAsync(
            (Key: _limits.Key(key), Expiry: expiry),
            static (db, a) => db.KeyExpireAsync(a.Key, a.Expiry),
            static (store, a) => (store.TryExpire(a.Key, a.Expiry, out var found), found),
            cancellationToken);
    }

    public async Task<long> IncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunAsync(
                (Key: _limits.Key(key), By: by),
                static (db, a) => db.StringIncrementAsync(a.Key, a.By),
                static (store, a) => (store.TryIncrement(a.Key, a.By, out var result), result),
                cancellationToken);
        }
        catch (RedisServerException e) when (e.Message.Contains("not an integer", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The value of '{key}' is not a whole number, so it cannot be incremented.", e);
        }
    }

    public async Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var names = keys.Distinct(StringComparer.Ordinal).ToArray();
        var prefixed = names.Select(k => _limits.Key(k, nameof(keys))).ToArray();
        if (names.Length == 0)
        {
            return new Dictionary<string, T>();
        }

        var values = await RunAsync(
            prefixed,
            // One MGET: one round trip whatever the number of keys.
            static (db, k) => db.StringGetAsync(Array.ConvertAll(k, key => (RedisKey)key)),
            static (store, k) => (store.TryGetMany(k, out var found), Array.ConvertAll(found, v => (RedisValue)v)),
            cancellationToken);

        var result = new Dictionary<string, T>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            _metrics.Read(!values[i].IsNull);
            if (!values[i].IsNull && CacheCodec.Decode<T>(names[i], values[i]) is { } value)
            {
                result[names[i]] = value;
            }
        }

        return result;
    }

    public Task SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, int? expirySeconds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var expiry = CacheLimits.Expiry(expirySeconds);
        var encoded = new List<KeyValuePair<string, RedisValue>>();
        foreach (var (key, value) in items)
        {
            var prefixed = _limits.Key(key, nameof(items));
            var bytes = CacheCodec.Encode(value);
            _limits.Value(key, bytes);
            encoded.Add(KeyValuePair.Create(prefixed, bytes));
        }

        if (encoded.Count == 0)
        {
            return Task.CompletedTask;
        }

        return RunAsync(
            (Items: encoded, Expiry: expiry),
            static async (db, a) =>
            {
                if (a.Expiry is null)
                {
                    // One MSET.
                    await db.StringSetAsync(a.Items.Select(i => KeyValuePair.Create((RedisKey)i.Key, i.Value)).ToArray());
                    return true;
                }

                // MSET cannot set expiries: pipeline the SETs in one batch, which is written in one go.
                var batch = db.CreateBatch();
                var sets = a.Items.Select(i => batch.StringSetAsync(i.Key, i.Value, a.Expiry, When.Always)).ToArray();
                batch.Execute();
                await Task.WhenAll(sets);
                return true;
            },
            static (store, a) => (store.TrySetMany(a.Items.ConvertAll(i => KeyValuePair.Create(i.Key, (byte[])i.Value!)), a.Expiry), true),
            cancellationToken);
    }

    public async Task<T?> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, int? expirySeconds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var prefixed = _limits.Key(key);
        var expiry = CacheLimits.Expiry(expirySeconds);
        // Joining happens before the first await, so callers that start together share one run.
        var flight = _flights.RunAsync(prefixed + "\n" + typeof(T).FullName, async () =>
        {
            var cached = await GetValueAsync(prefixed, CancellationToken.None);
            _metrics.Read(!cached.IsNull);
            if (!cached.IsNull)
            {
                return CacheCodec.Decode<T>(key, cached);
            }

            var created = await factory(CancellationToken.None);
            if (created is not null)
            {
                var bytes = CacheCodec.Encode(created);
                _limits.Value(key, bytes);
                await SetValueAsync(prefixed, bytes, expiry, CancellationToken.None);
            }

            return created;
        });
        return (T?)await flight.WaitAsync(cancellationToken);
    }

    public async Task<long> PublishAsync<T>(string channel, T message, CancellationToken cancellationToken = default)
    {
        _limits.Channel(channel);
        var payload = CacheCodec.Encode(message);
        _limits.Value(channel, payload);
        await WaitForStartAsync(cancellationToken);
        if (_state == OnRedis && _redis.Multiplexer is { } multiplexer)
        {
            try
            {
                return await multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), payload);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                SwitchToFallback(e.GetType().Name);
            }
        }

        // On the fallback the subscribers of this process are the only ones reachable.
        return await _subscriptions.DispatchAsync(channel, (string)payload!);
    }

    public async Task<CacheSubscription> SubscribeAsync(string channel, Func<CacheMessage, Task> handler, CancellationToken cancellationToken = default)
    {
        _limits.Channel(channel);
        ArgumentNullException.ThrowIfNull(handler);
        await WaitForStartAsync(cancellationToken);
        var subscription = new CacheSubscription(channel, handler, UnsubscribeAsync);
        // Added before the mode is read: a switch to Redis after this point subscribes it (EnterRedisAsync ensures
        // every channel again once on Redis), and one before it is seen here.
        _subscriptions.Add(subscription);
        if (_state == OnRedis && _redis.Multiplexer is { } multiplexer)
        {
            try
            {
                await _subscriptions.EnsureOnRedisAsync(multiplexer.GetSubscriber(), channel);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                // Subscribed on Redis when it is back (see EnterRedisAsync); meanwhile delivered in-process.
                SwitchToFallback(e.GetType().Name);
            }
        }

        return subscription;
    }

    private async Task UnsubscribeAsync(CacheSubscription subscription)
    {
        if (_subscriptions.Remove(subscription) is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync();
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                // Redis is away: the subscription dies with the connection and is not restored (its queue is gone).
            }
        }
    }

    private async Task<T?> GetFromRedisAsync<T>(IDatabase database, string key, string prefixed, CancellationToken cancellationToken)
    {
        RedisValue value;
        try
        {
            value = await database.StringGetAsync(prefixed);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            SwitchToFallback(e.GetType().Name);
            value = await GetValueAsync(prefixed, cancellationToken);
        }

        _metrics.Read(!value.IsNull);
        return value.IsNull ? default : CacheCodec.Decode<T>(key, value);
    }

    private async Task<T?> GetFromAnywhereAsync<T>(string key, string prefixed, CancellationToken cancellationToken)
    {
        var value = await GetValueAsync(prefixed, cancellationToken);
        _metrics.Read(!value.IsNull);
        return value.IsNull ? default : CacheCodec.Decode<T>(key, value);
    }

    private Task<RedisValue> GetValueAsync(string prefixed, CancellationToken cancellationToken) =>
        RunAsync(
            prefixed,
            static (db, k) => db.StringGetAsync(k),
            static (store, k) => (store.TryGet(k, out var value), (RedisValue)value),
            cancellationToken);

    private async Task SetOnRedisAsync(IDatabase database, string prefixed, RedisValue value, TimeSpan? expiry, CancellationToken cancellationToken)
    {
        try
        {
            await database.StringSetAsync(prefixed, value, expiry, When.Always);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            SwitchToFallback(e.GetType().Name);
            await SetValueAsync(prefixed, value, expiry, cancellationToken);
        }
    }

    private Task<bool> SetValueAsync(string prefixed, RedisValue value, TimeSpan? expiry, CancellationToken cancellationToken) =>
        RunAsync(
            (Key: prefixed, Value: value, Expiry: expiry),
            static (db, a) => db.StringSetAsync(a.Key, a.Value, a.Expiry, When.Always),
            static (store, a) => (store.TrySet(a.Key, (byte[])a.Value!, a.Expiry), true),
            cancellationToken);

    /// <summary>
    /// Runs an operation on Redis while on Redis, on the fallback otherwise. A call that fails to reach Redis
    /// switches the service over and is served by the fallback, so callers never see connection errors.
    /// </summary>
    private async Task<TResult> RunAsync<TArg, TResult>(
        TArg arg,
        Func<IDatabase, TArg, Task<TResult>> onRedis,
        Func<MemoryCacheStore, TArg, (bool Served, TResult Result)> onMemory,
        CancellationToken cancellationToken)
    {
        if (_state == Undecided)
        {
            await WaitForStartAsync(cancellationToken);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_state == OnRedis && _database is { } database)
            {
                try
                {
                    return await onRedis(database, arg);
                }
                catch (Exception e) when (IsUnreachable(e))
                {
                    SwitchToFallback(e.GetType().Name);
                }
            }

            var (served, result) = onMemory(_memory, arg);
            if (served)
            {
                return result;
            }

            // The fallback closed between the mode check and the call: Redis is back, go round again (yielding, so
            // that the switch in progress finishes rather than this loop spinning against it).
            await Task.Yield();
        }
    }

    private async Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        if (_state != Undecided)
        {
            return;
        }

        try
        {
            // The probe decides within StartupWait; twice that covers a service used without being started.
            await _decided.Task.WaitAsync(StartupWait * 2, cancellationToken);
        }
        catch (TimeoutException)
        {
            SwitchToFallback("no answer at start");
        }
    }

    private static bool IsUnreachable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or TimeoutException or ObjectDisposedException
        || (e is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal));

    private void SwitchToFallback(string reason)
    {
        lock (_switchLock)
        {
            if (_state == OnFallback)
            {
                return;
            }

            var wasOnRedis = _state == OnRedis;
            _memory.Open();
            _state = OnFallback;
            ModeSince = DateTimeOffset.UtcNow;
            _decided.TrySetResult();
            if (wasOnRedis)
            {
                _metrics.Switched(CacheMode.MemoryFallback);
                LogSwitchedToFallback(Endpoint, reason);
            }
            else
            {
                LogStartedOnFallback(Endpoint, reason);
            }
        }

        Wake();
    }

    private async Task ProbeLoopAsync(CancellationToken stopping)
    {
        var startDeadline = Stopwatch.StartNew();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ProbeOnceAsync(startDeadline.Elapsed >= StartupWait, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogProbeFailed(e);
            }

            var delay = _state == Undecided ? TimeSpan.FromMilliseconds(20) : TimeSpan.FromMilliseconds(_options.ProbeIntervalMs);
            try
            {
                await _wake.WaitAsync(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ProbeOnceAsync(bool startWaitOver, CancellationToken stopping)
    {
        var multiplexer = _redis.Multiplexer;
        if (multiplexer is not null && !ReferenceEquals(multiplexer, _hooked))
        {
            Hook(multiplexer);
        }

        // Null: the process itself stalled during the ping, so its timing says nothing about Redis.
        bool? answers = multiplexer is { IsConnected: true } ? await PingAsync(multiplexer, stopping) : false;
        switch (_state)
        {
            case Undecided when answers == true:
                await EnterRedisAsync(multiplexer!, stopping);
                break;
            // Not on the multiplexer's first "not connected": it reports connected a moment after ConnectAsync returns.
            case Undecided when startWaitOver || _redis.Created.IsFaulted:
                SwitchToFallback("unreachable at start");
                break;
            case OnRedis when answers == false:
                SwitchToFallback("ping failed");
                break;
            case OnFallback when answers == true:
                await EnterRedisAsync(multiplexer!, stopping);
                break;
        }
    }

    private void Hook(IConnectionMultiplexer multiplexer)
    {
        _hooked = multiplexer;
        _database = multiplexer.GetDatabase();
        multiplexer.ConnectionFailed += (_, e) =>
        {
            // Only the command connection matters for the mode; the subscription connection is re-established by itself.
            if (e.ConnectionType == ConnectionType.Interactive && _state == OnRedis)
            {
                SwitchToFallback(e.FailureType.ToString());
            }
        };
        multiplexer.ConnectionRestored += (_, _) => Wake();
    }

    private static async Task<bool?> PingAsync(IConnectionMultiplexer multiplexer, CancellationToken stopping)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await multiplexer.GetDatabase().PingAsync().WaitAsync(PingTimeout, stopping);
            return true;
        }
        catch (TimeoutException) when (watch.Elapsed > PingTimeout * 1.5)
        {
            // The timeout itself fired far too late: the thread pool was starved (a busy machine, a long GC), and
            // the ping's answer may be queued behind the same stall. Leaving Redis for that would be a false alarm.
            return null;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Subscribes the channels on Redis, replays the outage's writes, and switches to Redis once nothing is left
    /// to replay. Fails quietly (staying on the fallback) when Redis goes away again meanwhile.
    /// </summary>
    private async Task EnterRedisAsync(IConnectionMultiplexer multiplexer, CancellationToken stopping)
    {
        var database = multiplexer.GetDatabase();
        var replayed = 0;
        try
        {
            await _subscriptions.EnsureOnRedisAsync(multiplexer.GetSubscriber());
            while (!stopping.IsCancellationRequested)
            {
                var pending = _memory.PendingWrites();
                if (pending.Count == 0)
                {
                    if (TrySwitchToRedis(replayed))
                    {
                        await EnsureLateSubscriptionsAsync(multiplexer);
                        return;
                    }

                    continue;
                }

                var refused = await ReplayAsync(database, pending);
                _memory.Replayed(pending);
                replayed += pending.Count;
                if (refused > 0)
                {
                    LogReplayRefused(refused);
                }
            }
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            LogRecoveryInterrupted(Endpoint, e.GetType().Name);
        }
    }

    /// <summary>Subscribes on Redis the channels subscribed while the switch was under way.</summary>
    private async Task EnsureLateSubscriptionsAsync(IConnectionMultiplexer multiplexer)
    {
        try
        {
            await _subscriptions.EnsureOnRedisAsync(multiplexer.GetSubscriber());
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            SwitchToFallback(e.GetType().Name);
        }
    }

    /// <summary>Switches to Redis unless a write slipped into the journal meanwhile (then the caller replays again).</summary>
    private bool TrySwitchToRedis(int replayed)
    {
        lock (_switchLock)
        {
            if (_state == Undecided)
            {
                _state = OnRedis;
                ModeSince = DateTimeOffset.UtcNow;
                _decided.TrySetResult();
                LogStartedOnRedis(Endpoint);
                return true;
            }

            var since = ModeSince;
            var overflowed = _memory.JournalOverflowed;
            if (!_memory.TryClose(() =>
                {
                    _state = OnRedis;
                    ModeSince = DateTimeOffset.UtcNow;
                }))
            {
                return false;
            }

            _metrics.Switched(CacheMode.Redis);
            LogSwitchedToRedis(Endpoint, (DateTimeOffset.UtcNow - since).TotalSeconds, replayed);
            if (overflowed)
            {
                LogJournalOverflowed(_options.FallbackMaxEntries);
            }

            return true;
        }
    }

    /// <summary>
    /// Writes the outage's writes to Redis; returns how many keys Redis refused (an INCRBY onto text, a SET under
    /// maxmemory). Those keys are deleted instead, a miss being safe where their old value is not: left failing, one
    /// refused key would keep the service on the fallback and have every batch, counter deltas included, replayed on
    /// each probe.
    /// </summary>
    private static async Task<int> ReplayAsync(IDatabase database, IReadOnlyList<OutageWrite> writes)
    {
        var refused = 0;
        foreach (var chunk in writes.Chunk(1000))
        {
            var batch = database.CreateBatch();
            var tasks = chunk.Select(Task (w) => w switch
            {
                { CounterDelta: { } delta } => batch.StringIncrementAsync(w.Key, delta),
                { Value: { } value } => batch.StringSetAsync(w.Key, value, w.TimeToLive, When.Always),
                _ => batch.KeyDeleteAsync(w.Key),
            }).ToArray();
            batch.Execute();
            await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            var keys = new List<RedisKey>();
            for (var i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].Exception?.InnerException is { } e)
                {
                    // Redis not reachable ends this replay (it is repeated on the next probe); a refusal is about the key.
                    if (IsUnreachable(e) || e is not RedisServerException)
                    {
                        ExceptionDispatchInfo.Throw(e);
                    }

                    keys.Add(chunk[i].Key);
                }
            }

            if (keys.Count > 0)
            {
                await database.KeyDeleteAsync([.. keys]);
                refused += keys.Count;
            }
        }

        return refused;
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache on Redis {Endpoint}")]
    private partial void LogStartedOnRedis(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache on its memory fallback: Redis {Endpoint} {Reason}; probing in the background")]
    private partial void LogStartedOnFallback(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache switched to its memory fallback: Redis {Endpoint} unreachable ({Reason})")]
    private partial void LogSwitchedToFallback(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache switched back to Redis {Endpoint} after {Seconds:F1} s on the fallback; {Replayed} key(s) written during the outage replayed")]
    private partial void LogSwitchedToRedis(string endpoint, double seconds, int replayed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache outage journal was full ({Limit} keys): later writes made during the outage were not replayed to Redis")]
    private partial void LogJournalOverflowed(int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache switch back to Redis: {Count} key(s) written during the outage were refused by Redis and deleted there instead")]
    private partial void LogReplayRefused(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache switch back to Redis {Endpoint} interrupted ({Reason}); staying on the fallback")]
    private partial void LogRecoveryInterrupted(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cache probe failed unexpectedly")]
    private partial void LogProbeFailed(Exception exception);
}
