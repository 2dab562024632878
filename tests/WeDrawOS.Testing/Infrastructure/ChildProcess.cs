using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A process a test or benchmark starts and must stop (a redis-server, an SMTP server, a silo): its output is drained
/// so a chatty process never blocks on a full pipe and kept, with its error output, for checks and failure messages, and it is stopped
/// the way a crash stops it, with SIGKILL.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's process id (for reading <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public int Id => _process.Id;

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

    /// <summary>What the process wrote to its standard output so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException(start.FileName + " did not start");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            lock (child._output)
            {
                child._output.AppendLine(e.Data);
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

    /// <summary>
    /// Waits until the server this process runs answers: <paramref name="answers"/> returns true (a refused connection,
    /// an HTTP error or a request timing out counts as not yet). Fails at once, with what the process wrote to its error output, if it exits
    /// first, and after <paramref name="within"/> (<see cref="Eventually.DefaultWithin"/> unless given).
    /// </summary>
    public Task WaitUntilAnswersAsync(Func<Task<bool>> answers, string what, TimeSpan? within = null) =>
        Eventually.TrueAsync(async () =>
        {
            Assert.False(HasExited, $"{what}: the process exited first. Its errors: {Errors}");
            try
            {
                return await answers();
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException)
            {
                return false;
            }
        }, within, what);

    /// <summary><see cref="WaitUntilAnswersAsync"/> with a success status for <c>GET <paramref name="address"/></c> as the answer.</summary>
    public async Task WaitUntilHttpOkAsync(Uri address, string what, TimeSpan? within = null)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilAnswersAsync(async () =>
        {
            using var response = await probe.GetAsync(address);
            return response.IsSuccessStatusCode;
        }, what, within);
    }

    /// <summary>Waits for the process to end by itself and returns its exit code; kills it when it runs longer than <paramref name="within"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"the process did not end within {within.TotalSeconds:F0} s; its errors: {Errors}");
        }

        return _process.ExitCode;
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

    /// <summary>Waits until the process has exited by itself (after a SIGTERM, say).</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

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
