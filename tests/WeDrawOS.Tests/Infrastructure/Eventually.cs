using System.Diagnostics;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that the system reaches on its own (a user going offline, a mode switch), by polling
/// it with a deadline: the test waits exactly as long as the condition takes, and fails with a reason if it never holds.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, string what = "the condition")
    {
        var limit = within ?? DefaultWithin;
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < limit, $"{what} did not hold within {limit.TotalSeconds:F0} s");
            await Task.Delay(50);
        }
    }
}
