using System.Diagnostics;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that the system reaches on its own (a user going offline, a mode switch), by polling
/// it with a deadline: the test waits exactly as long as the condition takes, and fails with a reason if it never holds.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(50);

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, string what = "the condition") =>
        MatchAsync(condition, holds => holds, within, what);

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds for what it read, and returns that; the failure names the last value read.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null, string what = "the condition")
    {
        var limit = within ?? DefaultWithin;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(watch.Elapsed < limit, $"{what} did not hold within {limit.TotalSeconds:F0} s (last seen: {value})");
            await Task.Delay(PollPeriod);
        }
    }
}
