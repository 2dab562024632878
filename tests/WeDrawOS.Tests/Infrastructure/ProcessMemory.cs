using System.Globalization;

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
