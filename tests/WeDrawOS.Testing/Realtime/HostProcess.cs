using System.Diagnostics;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A silo or front run as a real process from its built assembly, so that it can be killed with SIGKILL
/// (no graceful anything). Disposing kills it if it still runs.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private HostProcess(ChildProcess process) => _process = process;

    public static HostProcess Start(string assembly, IDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["HTTP_HOST"] = "127.0.0.1";
        start.Environment["HTTP_PORT"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return new HostProcess(ChildProcess.Start(start));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, as a deploy stops a process: it shuts down gracefully. Waits until it has exited.</summary>
    public async Task TerminateAsync()
    {
        await _process.SignalAsync("TERM");
        await _process.WaitForExitAsync();
    }

    /// <summary>The process id of the running host (<c>dotnet</c> runs the assembly in its own process).</summary>
    public int Id => _process.Id;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan ProcessorTime() => _process.ProcessorTime();

    /// <summary>Waits until the process answers 200 on <c>/health/ready</c> at <paramref name="baseAddress"/>; fails if it exits first.</summary>
    public static Task WaitUntilReadyAsync(HostProcess process, Uri baseAddress) =>
        process._process.WaitUntilHttpOkAsync(new Uri(baseAddress, "/health/ready"), "the process ready", TimeSpan.FromSeconds(60));

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or close anything.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
