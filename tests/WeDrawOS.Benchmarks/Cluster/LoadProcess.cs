using System.Diagnostics;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>The load process's own CPU use, to show how much of the shared machine the clients took during a measurement.</summary>
public sealed class LoadProcess
{
    private readonly TimeSpan _cpu = ProcessorTime();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Share of all the machine's cores (0–1) this process used since it was constructed.</summary>
    public double CpuShare => (ProcessorTime() - _cpu).TotalSeconds / _clock.Elapsed.TotalSeconds / Environment.ProcessorCount;

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
