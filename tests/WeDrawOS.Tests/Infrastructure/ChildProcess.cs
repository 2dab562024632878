using System.Diagnostics;
using System.Text;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A process a test or benchmark starts and must stop (a redis-server, an SMTP server, a silo): its output is drained
/// so a chatty process never blocks on a full pipe, its error output is kept for failure messages, and it is stopped
/// the way a crash stops it, with SIGKILL.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly StringBuilder? _output;

    private ChildProcess(Process process, bool keepOutput)
    {
        _process = process;
        _output = keepOutput ? new StringBuilder() : null;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to its error output so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>What the process wrote to its standard output so far, when started with <c>keepOutput</c>.</summary>
    public string Output
    {
        get
        {
            if (_output is null)
            {
                throw new InvalidOperationException("the process was started without keepOutput");
            }

            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Completes when the process has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Starts the process; with <paramref name="keepOutput"/> its standard output is kept too (<see cref="Output"/>).</summary>
    public static ChildProcess Start(ProcessStartInfo start, bool keepOutput = false)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException(start.FileName + " did not start");
        var child = new ChildProcess(process, keepOutput);
        process.OutputDataReceived += (_, e) =>
        {
            if (child._output is { } output)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (child._errors)
            {
                child._errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>CPU time (user and system) the process has used so far; zero once it has exited.</summary>
    public TimeSpan ProcessorTime()
    {
        if (_process.HasExited)
        {
            return TimeSpan.Zero;
        }

        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Sends a signal with the system's <c>kill</c>: STOP freezes a server with its sockets open, CONT thaws it.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL (a frozen process too): no chance to leave a cluster or close anything. Waits until it is gone.</summary>
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
