using System.Diagnostics;
using System.Numerics;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Many sockets spread over a system's servers, joined to nothing, and broadcasts sent on a fixed schedule through the
/// first server's HTTP API. Latency runs from each broadcast's scheduled time to its arrival at each socket; the first
/// broadcasts are a warm-up and not measured.
/// </summary>
public sealed class BroadcastLoad : IRecordSink, IAsyncDisposable
{
    // One bit each in a socket's mask of what it received.
    private const int MaxBroadcasts = 63;

    private readonly LoadSocket[] _sockets;
    private readonly long[] _received;
    private readonly long[] _scheduled = new long[MaxBroadcasts];
    private readonly LatencyHistogram _latency = new();
    private int _warmup;
    private long _duplicates;

    private BroadcastLoad(LoadSocket[] sockets)
    {
        _sockets = sockets;
        _received = new long[sockets.Length];
    }

    public int Sockets => _sockets.Length;

    public static async Task<BroadcastLoad> ConnectAsync(ISystemUnderTest system, int count, CancellationToken cancellationToken)
    {
        var sockets = Enumerable.Range(0, count).Select(i => new LoadSocket(system.Protocol, i, 0)).ToArray();
        var load = new BroadcastLoad(sockets);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(sockets, parallel, async (socket, token) =>
            {
                await socket.OpenAsync(system.SocketUri(socket.Room % system.Servers, "b" + socket.Room), token);
                socket.Attach(load);
            });
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }

        return load;
    }

    /// <summary>
    /// Sends <paramref name="warmup"/> + <paramref name="measured"/> broadcasts, one every <paramref name="interval"/>,
    /// without waiting for the previous to arrive; then waits (up to <paramref name="drainLimit"/>) for the last.
    /// </summary>
    public async Task<BroadcastResult> RunAsync(ISystemUnderTest system, int warmup, int measured, TimeSpan interval, TimeSpan drainLimit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmup + measured, MaxBroadcasts);
        _warmup = warmup;
        var cpu = new LoadProcess();
        var start = Stopwatch.GetTimestamp();
        var posts = new List<Task>();
        for (var k = 0; k < warmup + measured; k++)
        {
            var scheduled = start + (long)(k * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            Volatile.Write(ref _scheduled[k], scheduled);
            posts.Add(system.BroadcastAsync(k, cancellationToken));
        }

        await Task.WhenAll(posts);
        var all = ((1L << (warmup + measured)) - 1) & ~((1L << warmup) - 1);
        var clock = Stopwatch.StartNew();
        while (_received.Any(r => (r & all) != all) && clock.Elapsed < drainLimit)
        {
            await Task.Delay(20, cancellationToken);
        }

        var missing = _received.Sum(r => (long)(measured - BitOperations.PopCount((ulong)(r & all))));
        _latency.RecordMissing(missing);
        return new BroadcastResult(_sockets.Length, measured, _latency.Percentile(0.5), _latency.Percentile(0.99), _latency.MaxMilliseconds, missing,
            Interlocked.Read(ref _duplicates), _sockets.Count(s => !s.IsOpen), cpu.CpuShare);
    }

    public void OnRecord(LoadSocket socket, ReadOnlySpan<byte> record)
    {
        if (!FrameFields.TryGetNumber(record, LoadPayload.BroadcastKey, out var number) || number is < 0 or >= MaxBroadcasts)
        {
            return;
        }

        var bit = 1L << (int)number;
        if ((Interlocked.Or(ref _received[socket.Room], bit) & bit) != 0)
        {
            Interlocked.Increment(ref _duplicates);
        }
        else if (number >= _warmup)
        {
            _latency.RecordSince(Volatile.Read(ref _scheduled[number]));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
    }
}
