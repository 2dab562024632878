namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Finds the highest rate a system sustains: steps up geometrically from <see cref="StartRate"/> by
/// <see cref="Factor"/> until a rate fails (or <see cref="MaxRate"/> passes), then narrows the gap between the last
/// passing and the first failing rate by <see cref="Refinements"/> geometric midpoints. A rate fails only when
/// <see cref="Attempts"/> steps at it in a row fail, so that one stall of a shared machine does not set the ceiling.
/// </summary>
public sealed record CeilingSearch(double StartRate, double Factor, double MaxRate, int Refinements, int Attempts = 1)
{
    /// <summary>Runs steps through <paramref name="runStep"/> (a rate in, its result out) and judges each with <paramref name="passes"/>.</summary>
    public async Task<CeilingResult<T>> FindAsync<T>(Func<double, Task<T>> runStep, Func<T, bool> passes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StartRate, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Factor, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Attempts, 1);
        var steps = new List<CeilingStep<T>>();

        // The passing step at a rate, or null when every attempt at it failed.
        async Task<CeilingStep<T>?> TryRateAsync(double rate)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var step = new CeilingStep<T>(rate, await runStep(rate));
                steps.Add(step);
                if (passes(step.Result))
                {
                    return step;
                }
            }

            return null;
        }

        CeilingStep<T>? best = null;
        double? firstFailure = null;
        for (var rate = Math.Round(StartRate); ; rate = Math.Round(Math.Min(rate * Factor, MaxRate)))
        {
            if (await TryRateAsync(rate) is not { } passed)
            {
                firstFailure = rate;
                break;
            }

            best = passed;
            if (rate >= MaxRate)
            {
                break;
            }
        }

        for (var i = 0; i < Refinements && best is not null && firstFailure is { } failed; i++)
        {
            var rate = Math.Round(Math.Sqrt(best.Rate * failed));
            if (rate <= best.Rate || rate >= failed)
            {
                break;
            }

            if (await TryRateAsync(rate) is { } passed)
            {
                best = passed;
            }
            else
            {
                firstFailure = rate;
            }
        }

        return new CeilingResult<T>(best, firstFailure, steps);
    }
}
