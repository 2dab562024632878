using System.Diagnostics;
using System.Numerics;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Latencies in log-linear microsecond buckets (exact under 128 µs, then 64 buckets per power of two: under 1.6 %
/// error), recorded from many receive loops at once without locks. A delivery that never happened is recorded as
/// missing and ranks as infinitely late, so that a lossy run cannot show good percentiles.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;

    // 2^40 µs is 12 days: anything later lands in the last bucket.
    private const int MaxMagnitude = 40;

    private readonly long[] _counts = new long[((MaxMagnitude - SubBucketBits) * SubBuckets) + (2 * SubBuckets)];
    private long _missing;
    private long _max;

    /// <summary>Deliveries recorded with a latency.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>Deliveries that never happened.</summary>
    public long Missing => Interlocked.Read(ref _missing);

    /// <summary>The largest recorded latency in milliseconds (missing deliveries aside); NaN when nothing was recorded.</summary>
    public double MaxMilliseconds => Count == 0 ? double.NaN : Interlocked.Read(ref _max) / 1000.0;

    /// <summary>Records the time from <paramref name="scheduledTicks"/> (a <see cref="Stopwatch"/> timestamp) to now.</summary>
    public void RecordSince(long scheduledTicks) =>
        RecordMicroseconds((Stopwatch.GetTimestamp() - scheduledTicks) * 1_000_000 / Stopwatch.Frequency);

    public void RecordMicroseconds(long microseconds)
    {
        var value = Math.Clamp(microseconds, 0, (1L << MaxMagnitude) - 1);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        var max = Interlocked.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void RecordMissing(long deliveries) => Interlocked.Add(ref _missing, deliveries);

    /// <summary>
    /// The nearest-rank percentile in milliseconds (<paramref name="quantile"/> 0.99 for p99), as the upper edge of its
    /// bucket so that it is never understated; infinity when the rank falls among the missing; NaN when empty.
    /// </summary>
    public double Percentile(double quantile)
    {
        var total = Count + Missing;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return UpperEdge(i) / 1000.0;
            }
        }

        return double.PositiveInfinity;
    }

    private static int IndexOf(long microseconds)
    {
        var shift = Math.Max(0, BitOperations.Log2((ulong)microseconds) - SubBucketBits);
        return (shift * SubBuckets) + (int)(microseconds >> shift);
    }

    private static long UpperEdge(int index)
    {
        var shift = Math.Max(0, (index / SubBuckets) - 1);
        var subBucket = index - (shift * SubBuckets);
        return ((subBucket + 1L) << shift) - 1;
    }
}
