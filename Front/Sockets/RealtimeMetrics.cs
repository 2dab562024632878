using System.Diagnostics.Metrics;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The sockets of this front: how many are open, upgrades refused, frames in and out, error frames, how long a
/// message took from its acceptance by the cluster to being written to a socket, slow readers closed, and room posts
/// per call. The per-delivery instruments are tag-less, so the Prometheus bridge feeds them without its generic adapter.
/// </summary>
internal sealed class RealtimeMetrics
{
    public const string MeterName = "WeDrawOS.Realtime";
    public const string FramesSentName = "frames.sent";
    public const string DeliveryLatencyName = "delivery.latency";

    private readonly Counter<long> _refused;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _slowReaders;
    private readonly Counter<long> _roomPosts;
    private readonly Counter<long> _roomPostCalls;

    public RealtimeMetrics(IMeterFactory meters, ConnectionRegistry registry)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("sockets.open", () => registry.Count, "{socket}", "WebSockets open on this front");
        _refused = meter.CreateCounter<long>("upgrades.refused", "{upgrade}", "WebSocket upgrades refused, by reason (see UpgradeRefusals)");
        _received = meter.CreateCounter<long>("frames.received", "{frame}", "Complete frames read from clients");
        _sent = meter.CreateCounter<long>(FramesSentName, "{frame}", "Frames written to sockets");
        _errors = meter.CreateCounter<long>("frames.errors", "{frame}", "error frames sent to clients, by code");
        _latency = meter.CreateHistogram(DeliveryLatencyName, "s", "From a message's acceptance by its room or user grain to its write to a socket",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Hosting.Telemetry.PrometheusMeterBridge.SecondsBuckets });
        _slowReaders = meter.CreateCounter<long>("slow_readers.closed", "{socket}", "Sockets closed with 1013 because their send queue was full");
        _roomPosts = meter.CreateCounter<long>("room_posts", "{post}", "Room sends from sockets posted to their rooms");
        _roomPostCalls = meter.CreateCounter<long>("room_posts.calls", "{call}", "Calls that carried them: a socket's sends read while one is in flight go together");
    }

    /// <summary>The instruments measured once per delivered frame.</summary>
    public static IEnumerable<string> Unlabelled => ["frames.received", FramesSentName, DeliveryLatencyName, "slow_readers.closed", "room_posts", "room_posts.calls"];

    public void UpgradeRefused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void FrameReceived() => _received.Add(1);

    public void FramesSent(int count)
    {
        if (count > 0)
        {
            _sent.Add(count);
        }
    }

    public void ErrorSent(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>A message accepted at <paramref name="acceptedAtTicks"/> (UTC ticks, the grain's clock) was written now.</summary>
    public void Delivered(long acceptedAtTicks) => _latency.Record(Math.Max(0, DateTime.UtcNow.Ticks - acceptedAtTicks) / (double)TimeSpan.TicksPerSecond);

    public void SlowReaderClosed() => _slowReaders.Add(1);

    /// <summary>One call to a room carried <paramref name="posts"/> of a socket's sends.</summary>
    public void RoomPostCall(int posts)
    {
        _roomPostCalls.Add(1);
        _roomPosts.Add(posts);
    }
}
