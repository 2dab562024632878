using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// The handlers of this process per channel. Each channel with handlers has one Redis subscription (a message
/// queue, so a channel's messages are handled in order); StackExchange.Redis re-subscribes it after every
/// reconnect. While the service is on the fallback, <see cref="DispatchAsync(string, string)"/> delivers published messages
/// to these handlers directly.
/// </summary>
internal sealed partial class CacheSubscriptions(ILogger logger)
{
    private readonly ConcurrentDictionary<string, Channel> _channels = new(StringComparer.Ordinal);

    public void Add(CacheSubscription subscription)
    {
        while (true)
        {
            var channel = _channels.GetOrAdd(subscription.Channel, static name => new Channel(name));
            lock (channel.Sync)
            {
                // A channel whose last handler just left is being torn down: start a fresh one.
                if (!channel.Removed)
                {
                    channel.Handlers = [.. channel.Handlers, subscription];
                    return;
                }
            }
        }
    }

    /// <summary>Removes a handler; returns the Redis queue to unsubscribe when it was the channel's last one.</summary>
    public ChannelMessageQueue? Remove(CacheSubscription subscription)
    {
        if (!_channels.TryGetValue(subscription.Channel, out var channel))
        {
            return null;
        }

        lock (channel.Sync)
        {
            channel.Handlers = channel.Handlers.Where(h => !ReferenceEquals(h, subscription)).ToArray();
            if (channel.Handlers.Length > 0)
            {
                return null;
            }

            channel.Removed = true;
            _channels.TryRemove(KeyValuePair.Create(subscription.Channel, channel));
            var queue = channel.Queue;
            channel.Queue = null;
            return queue;
        }
    }

    /// <summary>Makes sure every channel with handlers is subscribed on Redis (once; reconnects are handled by the multiplexer).</summary>
    public async Task EnsureOnRedisAsync(ISubscriber subscriber)
    {
        foreach (var channel in _channels.Values)
        {
            await EnsureOnRedisAsync(subscriber, channel.Name);
        }
    }

    public async Task EnsureOnRedisAsync(ISubscriber subscriber, string name)
    {
        if (!_channels.TryGetValue(name, out var channel) || channel.Queue is not null)
        {
            return;
        }

        await channel.Gate.WaitAsync();
        try
        {
            if (channel.Queue is not null || channel.Handlers.Length == 0)
            {
                return;
            }

            var queue = await subscriber.SubscribeAsync(RedisChannel.Literal(name));
            // Bound to this channel object, not the name: if the queue outlives its channel (an unsubscribe that could
            // not reach Redis), it finds no handlers instead of delivering twice to a later subscription.
            queue.OnMessage(message => DispatchAsync(channel, (string)message.Message!));
            lock (channel.Sync)
            {
                if (!channel.Removed)
                {
                    channel.Queue = queue;
                    return;
                }
            }

            // The last handler left while subscribing.
            await queue.UnsubscribeAsync();
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    /// <summary>Runs every handler of <paramref name="name"/> on the message; a failing handler is logged and does not stop the others.</summary>
    public Task<int> DispatchAsync(string name, string payload) =>
        _channels.TryGetValue(name, out var channel) ? DispatchAsync(channel, payload) : Task.FromResult(0);

    private async Task<int> DispatchAsync(Channel channel, string payload)
    {
        var handlers = channel.Handlers;
        var message = new CacheMessage(channel.Name, payload);
        foreach (var subscription in handlers)
        {
            try
            {
                await subscription.Handler(message);
            }
            catch (Exception e)
            {
                LogHandlerFailed(e, channel.Name);
            }
        }

        return handlers.Length;
    }

    public int HandlerCount(string name) => _channels.TryGetValue(name, out var channel) ? channel.Handlers.Length : 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber of cache channel {Channel} failed")]
    private partial void LogHandlerFailed(Exception exception, string channel);

    private sealed class Channel(string name)
    {
        public string Name { get; } = name;

        public Lock Sync { get; } = new();

        public SemaphoreSlim Gate { get; } = new(1, 1);

        // Copy-on-write so that dispatching never holds a lock while handlers run.
        public CacheSubscription[] Handlers { get; set; } = [];

        public bool Removed { get; set; }

        public ChannelMessageQueue? Queue { get; set; }
    }
}
