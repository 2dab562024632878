using System.Diagnostics;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>Waits for servers the scenario started in processes of their own.</summary>
public static class Readiness
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Polls until <paramref name="isReady"/> says yes (an HTTP error or a refused connection counts as not yet); fails
    /// at once when <paramref name="hasExited"/> says the process is gone, and after 90 s.
    /// </summary>
    public static async Task WaitAsync(string what, Func<bool> hasExited, Func<Task<bool>> isReady, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (hasExited())
            {
                throw new InvalidOperationException($"{what} exited during start-up");
            }

            try
            {
                if (await isReady())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"{what} was not ready after {Limit.TotalSeconds:F0} s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
