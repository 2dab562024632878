using System.Diagnostics;

namespace WeDrawOS.Benchmarks.Load;

/// <summary>Starts this benchmark tool again as a helper process (a client fleet, a baseline server) with its own command.</summary>
public static class BenchmarkProcess
{
    /// <summary>How to run this tool with <paramref name="arguments"/>: the apphost directly, or <c>dotnet</c> with this assembly.</summary>
    public static ProcessStartInfo StartInfo(params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchmarkProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
