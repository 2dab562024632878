using WeDrawOS.Benchmarks.Cluster;

namespace WeDrawOS.Tests.Benchmarks;

public sealed class CeilingSearchTests
{
    [Fact]
    public async Task Rates_rise_until_one_fails_then_the_gap_is_narrowed()
    {
        var search = new CeilingSearch(StartRate: 500, Factor: 2, MaxRate: 100_000, Refinements: 2);

        var result = await search.FindAsync(rate => Task.FromResult(rate), rate => rate <= 3_000);

        Assert.Equal([500, 1_000, 2_000, 4_000, 2_828, 3_363], result.Steps.Select(s => s.Rate));
        Assert.Equal(2_828, result.Ceiling!.Rate);
        Assert.Equal(3_363, result.FirstFailure);
    }

    [Fact]
    public async Task No_ceiling_when_the_first_rate_fails()
    {
        var search = new CeilingSearch(StartRate: 500, Factor: 1.5, MaxRate: 100_000, Refinements: 2);

        var result = await search.FindAsync(rate => Task.FromResult(rate), _ => false);

        Assert.Null(result.Ceiling);
        Assert.Equal(500, result.FirstFailure);
        Assert.Single(result.Steps);
    }

    [Fact]
    public async Task The_search_stops_at_the_maximum_rate_when_nothing_fails()
    {
        var search = new CeilingSearch(StartRate: 500, Factor: 2, MaxRate: 3_000, Refinements: 2);

        var result = await search.FindAsync(rate => Task.FromResult(rate), _ => true);

        Assert.Equal([500, 1_000, 2_000, 3_000], result.Steps.Select(s => s.Rate));
        Assert.Equal(3_000, result.Ceiling!.Rate);
        Assert.Null(result.FirstFailure);
    }

    [Fact]
    public async Task A_rate_fails_only_when_every_attempt_at_it_fails()
    {
        var search = new CeilingSearch(StartRate: 1_000, Factor: 2, MaxRate: 100_000, Refinements: 0, Attempts: 2);
        var runs = new List<double>();

        // 2,000 msg/s stalls once (a passing second attempt keeps it); 4,000 always fails.
        var result = await search.FindAsync(
            rate =>
            {
                runs.Add(rate);
                return Task.FromResult(rate < 4_000 && !(rate == 2_000 && runs.Count(r => r == 2_000) == 1));
            },
            passed => passed);

        Assert.Equal([1_000, 2_000, 2_000, 4_000, 4_000], runs);
        Assert.Equal(2_000, result.Ceiling!.Rate);
        Assert.Equal(4_000, result.FirstFailure);
    }
}
