using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// Publishes the events of one silo's grains on the events stream for other services. Grains hand events over
/// without waiting: what they follow (a state write, a stored message) is done, and a failure to publish is logged,
/// never failing it. One loop publishes whatever has gathered meanwhile in one call to the stream, in the order the
/// events were handed over. Publishing each stored group from its grain cost one call to the stream's queue per group:
/// 6 % of a silo's CPU at the rooms ceiling (profiled, docs/performance.md). The loop lets events gather for
/// <see cref="Linger"/> before each publish, so that a steady flow makes one call per linger rather than one per
/// event or two. At most <see cref="QueueLimit"/> events wait; past that the oldest are dropped and counted, so that a
/// stream that stops taking events cannot take the silo's memory with it.
/// </summary>
public sealed partial class EventsOutbox : IHostedService
{
    /// <summary>Events waiting at most (about 100 MB of <c>message</c> events at 1 KB of data each).</summary>
    public const int QueueLimit = 100_000;

    /// <summary>
    /// How long the loop waits, once an event is there, for more to join it in one publish (unless a batch is full
    /// already). Subscribers read the stream's queue every pulling period (<c>STREAM_PULL_PERIOD_MS</c>, 100 ms) when
    /// they find it empty, so this adds a tenth of that at most. Without it the loop published whatever was there the
    /// moment the previous call returned: 1.3–1.5 events per call at 500 events/s per silo, 6.2–6.8 with it
    /// (docs/performance.md).
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    /// <summary>Events in one publish at most, and the data bytes after which a publish takes no more.</summary>
    private const int BatchLimit = 512;
    private const long BatchBytesLimit = 1024 * 1024;

    private readonly Channel<RealtimeEvent> _queue;
    private readonly IClusterClient _cluster;
    private readonly ILogger<EventsOutbox> _logger;
    private Task _loop = Task.CompletedTask;

    // Set while the loop takes and publishes a batch: the events it holds are no longer counted by the queue.
    private int _publishing;

    public EventsOutbox(IClusterClient cluster, MessagingMetrics metrics, ILogger<EventsOutbox> logger)
    {
        _cluster = cluster;
        _logger = logger;
        _queue = Channel.CreateBounded<RealtimeEvent>(
            new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => metrics.EventsDropped());
    }

    /// <summary>Every event handed over is published (or failed to be).</summary>
    public bool Idle => _queue.Reader.Count == 0 && Volatile.Read(ref _publishing) == 0;

    /// <summary>Hands <paramref name="entry"/> over for publishing (the queue drops its oldest when full).</summary>
    public void Post(RealtimeEvent entry) => _queue.Writer.TryWrite(entry);

    /// <summary>
    /// Hands over the <c>message</c> events of stored messages, each without its data (<see cref="RealtimeEvent.DataOmitted"/>)
    /// when the data is larger than <paramref name="maxDataBytes"/>.
    /// </summary>
    public void PostMessages(IEnumerable<ChatMessage> stored, int maxDataBytes)
    {
        foreach (var message in stored)
        {
            var omitted = MessageLog.SizeOf(message) > maxDataBytes;
            var carried = omitted ? message with { Data = "null" } : message;
            Post(new RealtimeEvent(RealtimeEventKinds.Message, message.From, message.Room, null, carried, message.Ts, omitted));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(PublishLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits (within the host's shutdown time) until what was handed over is published. The loop goes on: grains that
    /// deactivate later still hand events over while the silo stops.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        while (!Idle && !cancellationToken.IsCancellationRequested && !_loop.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
    }

    private async Task PublishLoopAsync()
    {
        IAsyncStream<RealtimeEvent>? stream = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            if (_queue.Reader.Count < BatchLimit)
            {
                await Task.Delay(Linger);
            }

            // Raised before the first event leaves the queue, so that StopAsync never sees both empty mid-batch.
            Volatile.Write(ref _publishing, 1);
            var batch = new List<RealtimeEvent>();
            long bytes = 0;
            while (batch.Count < BatchLimit && bytes < BatchBytesLimit && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
                bytes += entry.Message is { } message ? MessageLog.SizeOf(message) : 0;
            }

            try
            {
                stream ??= _cluster.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream);
                await stream.OnNextBatchAsync(batch);
            }
            catch (Exception e)
            {
                LogPublishFailed(_logger, e, batch.Count);
            }

            Volatile.Write(ref _publishing, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Count} events on the events stream")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int count);
}
