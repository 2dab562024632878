namespace WeDrawOS.Services.Caching;

/// <summary>
/// One handler subscribed to one channel. It stays subscribed across Redis reconnects and fallback periods
/// until it is disposed; disposing twice is harmless.
/// </summary>
public sealed class CacheSubscription : IAsyncDisposable, IDisposable
{
    private readonly Func<CacheSubscription, Task> _unsubscribe;
    private int _disposed;

    internal CacheSubscription(string channel, Func<CacheMessage, Task> handler, Func<CacheSubscription, Task> unsubscribe)
    {
        Channel = channel;
        Handler = handler;
        _unsubscribe = unsubscribe;
    }

    public string Channel { get; }

    internal Func<CacheMessage, Task> Handler { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _unsubscribe(this);
        }
    }

    /// <summary>Stops delivery at once; the Redis unsubscribe (when this was the channel's last handler) finishes in the background.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ = _unsubscribe(this);
        }
    }
}
