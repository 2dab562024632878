using WeDrawOS.Benchmarks.Cluster;

namespace WeDrawOS.Tests.Benchmarks;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Small_latencies_are_exact_and_percentiles_take_the_nearest_rank()
    {
        var histogram = new LatencyHistogram();
        for (var us = 1; us <= 100; us++)
        {
            histogram.RecordMicroseconds(us);
        }

        Assert.Equal(0.050, histogram.Percentile(0.50));
        Assert.Equal(0.099, histogram.Percentile(0.99));
        Assert.Equal(0.100, histogram.Percentile(1.0));
        Assert.Equal(0.001, histogram.Percentile(0.0));
        Assert.Equal(100, histogram.Count);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(1_234)]
    [InlineData(99_999)]
    [InlineData(100_001)]
    [InlineData(3_600_000_000)]
    public void Large_latencies_are_never_understated_and_overstated_by_under_two_percent(long microseconds)
    {
        var histogram = new LatencyHistogram();
        histogram.RecordMicroseconds(microseconds);

        var reported = histogram.Percentile(0.99) * 1000;

        Assert.InRange(reported, microseconds, microseconds * 1.016);
        Assert.Equal(microseconds / 1000.0, histogram.MaxMilliseconds);
    }

    [Fact]
    public void A_p99_over_100_ms_is_not_reported_under_it()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 98; i++)
        {
            histogram.RecordMicroseconds(1_000);
        }

        histogram.RecordMicroseconds(100_001);
        histogram.RecordMicroseconds(100_001);

        Assert.True(histogram.Percentile(0.99) > 100);
    }

    [Fact]
    public void Missing_deliveries_rank_as_infinitely_late()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 98; i++)
        {
            histogram.RecordMicroseconds(100);
        }

        histogram.RecordMissing(2);

        Assert.Equal(0.1, histogram.Percentile(0.50));
        Assert.Equal(0.1, histogram.Percentile(0.98));
        Assert.Equal(double.PositiveInfinity, histogram.Percentile(0.99));
        Assert.Equal(2, histogram.Missing);
    }

    [Fact]
    public void An_empty_histogram_has_no_percentiles()
    {
        var histogram = new LatencyHistogram();

        Assert.True(double.IsNaN(histogram.Percentile(0.5)));
        Assert.True(double.IsNaN(histogram.MaxMilliseconds));
    }

    [Fact]
    public void Recordings_from_many_threads_are_all_counted()
    {
        var histogram = new LatencyHistogram();

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.RecordMicroseconds((worker * 10_000) + i);
            }
        });

        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(79.999, histogram.MaxMilliseconds);
    }
}
