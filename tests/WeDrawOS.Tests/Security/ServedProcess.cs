using System.Diagnostics;
using System.Globalization;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// The web front started the way an operator starts it (its built assembly, or <c>dotnet run</c> with the project's
/// launch profile), with the given environment variables and nothing inherited that could change its environment,
/// on a port of its own. Its output is kept, so tests can read what it logged. Disposing kills it.
/// </summary>
public sealed class ServedProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ServedProcess(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the process wrote so far (standard output, then error output).</summary>
    public string Output => _process.Output + _process.Errors;

    /// <summary>Variables for an embedded front on free ports, listening on <paramref name="httpHost"/>.</summary>
    public static Dictionary<string, string> Settings(string environment, string httpHost = "127.0.0.1")
    {
        var settings = TestHost.EmbeddedSettings();
        settings["ASPNETCORE_ENVIRONMENT"] = environment;
        settings["HTTP_HOST"] = httpHost;
        settings["HTTP_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary><c>dotnet WeDrawOS.WebFront.dll</c>.</summary>
    public static ProcessStartInfo Assembly(IDictionary<string, string> settings) =>
        Start("dotnet", [typeof(WebFrontApp).Assembly.Location], Path.GetDirectoryName(typeof(WebFrontApp).Assembly.Location)!, settings);

    /// <summary><c>dotnet run --project WebFront</c> from the source tree (already built, so <c>--no-build</c>), launch profile included.</summary>
    public static ProcessStartInfo DotnetRun(IDictionary<string, string> settings)
    {
        var root = RepositoryFiles.Root;
        return Start("dotnet", ["run", "--no-build", "-c", RepositoryFiles.BuildConfiguration, "--project", Path.Combine(root, "WebFront")], root, settings);
    }

    /// <summary>Starts the front and waits until <c>/health/live</c> answers; fails with its output if it exits first.</summary>
    public static async Task<ServedProcess> StartAsync(ProcessStartInfo start)
    {
        var port = start.Environment["HTTP_PORT"];
        var served = new ServedProcess(ChildProcess.Start(start), new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await served._process.WaitUntilHttpOkAsync(new Uri(served.BaseAddress, "/health/live"), "the front answering /health/live");
            return served;
        }
        catch
        {
            await served.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a front that is expected to stop by itself (bad configuration) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(ProcessStartInfo start)
    {
        await using var process = ChildProcess.Start(start);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.Output + process.Errors);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }

    private static ProcessStartInfo Start(string program, string[] arguments, string directory, IDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Whatever the test runner's environment says about the environment name must not decide it here.
        foreach (var inherited in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
