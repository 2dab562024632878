using System.Diagnostics;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A silo or front run as a real process from its built assembly, so that it can be killed with SIGKILL
/// (no graceful anything). Disposing kills it if it still runs.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HostProcess(Process process) => _process = process;

    public static HostProcess Start(string assembly, IDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
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

        var process = Process.Start(start)!;
        // Drain the pipes so a chatty process never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the process gets no chance to leave the cluster or close anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
