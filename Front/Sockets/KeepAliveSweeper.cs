using Microsoft.Extensions.Options;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Keeps the front's sockets alive and drops the dead ones, with one timer for the whole front instead of the
/// WebSocket's own timer per socket (a heartbeat every 7.5 s per socket at the default interval: ~1,300 thread-pool
/// callbacks a second at 10,000 idle sockets). Each tick walks the sockets: one from which nothing was read for an
/// interval gets a ping (clients answer with a pong, which is a read); one that has not answered a ping within an
/// interval is aborted, which its receive loop turns into the usual clean-up (registry, presence). A socket is thus
/// dropped after at least two silent intervals, and only after it was given a whole interval to answer a ping: a
/// sweep that comes late (a loaded machine, a stalled timer) pings instead of dropping a socket it never pinged.
/// </summary>
internal sealed partial class KeepAliveSweeper : IHostedService, IDisposable
{
    // A quarter interval between ticks bounds how late a ping or a drop comes; the bounds keep tiny test intervals
    // from spinning and huge ones from making drops late.
    private static readonly TimeSpan ShortestTick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestTick = TimeSpan.FromSeconds(7.5);

    private readonly ConnectionRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<KeepAliveSweeper> _logger;
    private readonly TimeSpan _interval;
    private ITimer? _timer;
    private long _pingsSent;

    public KeepAliveSweeper(ConnectionRegistry registry, IOptions<SocketOptions> options, TimeProvider time, ILogger<KeepAliveSweeper> logger)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _interval = options.Value.PingInterval;
    }

    /// <summary>Pings this front has requested since it started (each goes on the wire at once or right after the frame being written).</summary>
    public long PingsSent => Interlocked.Read(ref _pingsSent);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromTicks(Math.Clamp(_interval.Ticks / 4, ShortestTick.Ticks, LongestTick.Ticks));
        _timer = _time.CreateTimer(static sweeper => ((KeepAliveSweeper)sweeper!).Sweep(), this, tick, tick);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var connection in _registry.All())
        {
            // Sockets accepted without the wrapping stream keep the WebSocket's own keep-alive.
            if (connection.KeepAlive is not { } stream)
            {
                continue;
            }

            try
            {
                Check(connection, stream, now);
            }
            catch (Exception e)
            {
                // An exception out of a timer callback would end the process; one socket's trouble must not.
                LogSweepFailed(_logger, e, connection.Id);
            }
        }
    }

    private void Check(SocketConnection connection, KeepAliveStream stream, long now)
    {
        var lastRead = stream.LastRead;
        var lastPing = stream.LastPing;
        if (lastPing > lastRead)
        {
            // A ping is out and nothing was read since: the client has one interval from the ping to answer.
            if (_time.GetElapsedTime(lastPing, now) >= _interval)
            {
                LogDropped(_logger, connection.Id);
                connection.Abort();
            }
        }
        else if (_time.GetElapsedTime(lastRead, now) >= _interval && stream.RequestPing())
        {
            Interlocked.Increment(ref _pingsSent);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Socket {ConnectionId} dropped: it did not answer a ping within a ping interval")]
    private static partial void LogDropped(ILogger logger, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keep-alive of socket {ConnectionId} failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string connectionId);
}
