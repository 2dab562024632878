using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Resident memory of another process as Linux reports it in <c>/proc/&lt;pid&gt;/status</c>: the current resident set
/// (<c>VmRSS</c>) and its high-water mark (<c>VmHWM</c>), which the kernel keeps for us, so a peak is never missed
/// between two samples. The mark can be reset (<c>clear_refs</c>), so that it measures one phase of a test.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Resident bytes now.</summary>
    public static long Resident(int pid) => Read(pid, "VmRSS:");

    /// <summary>The most resident bytes since the process started or since <see cref="ResetPeak"/>.</summary>
    public static long Peak(int pid) => Read(pid, "VmHWM:");

    /// <summary>Sets the high-water mark to the current resident set (Linux 4.0 and later).</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>
    /// Has a .NET process run a full, blocking garbage collection, from outside and without anything in the process
    /// for it: an EventPipe session on the runtime's diagnostics port that asks for the GC heap-collect keyword makes
    /// the runtime collect at once (this is how <c>dotnet-gcdump</c> gets its heap). Returns when the session has seen
    /// that collection end. Free memory is then returned to the system in steps, so callers wait on the resident set.
    /// </summary>
    public static async Task CollectGarbageAsync(int pid)
    {
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords);
        using var session = new DiagnosticsClient(pid).StartEventPipeSession(provider, requestRundown: false, circularBufferMB: 64);
        using var source = new EventPipeEventSource(session.EventStream);
        var collected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int? induced = null;
        source.Clr.GCStart += gc => induced ??= gc.Depth == 2 ? gc.Count : null;
        source.Clr.GCStop += gc =>
        {
            if (gc.Count == induced)
            {
                collected.TrySetResult();
            }
        };
        var reading = Task.Run(source.Process);
        try
        {
            await collected.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            session.Stop();
            await reading;
        }
    }

    /// <summary>Bytes as whole mebibytes, for messages.</summary>
    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    private static long Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:	  123456 kB"
                var kilobytes = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }
}
