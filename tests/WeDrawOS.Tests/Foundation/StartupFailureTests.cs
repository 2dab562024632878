using System.Diagnostics;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Foundation;

/// <summary>The real executables, started as processes: a bad value ends them at once with a clear message.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task Front_with_a_bad_value_exits_non_zero_naming_the_variable()
    {
        var (exitCode, stderr) = await RunAsync(typeof(WebFrontApp).Assembly.Location, ("WS_MAX_CONNECTIONS", "abc"));

        Assert.Equal(2, exitCode);
        Assert.Contains("WS_MAX_CONNECTIONS: 'abc' is not a whole number", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_with_a_bad_value_exits_non_zero_naming_the_variable()
    {
        var (exitCode, stderr) = await RunAsync(typeof(SiloApp).Assembly.Location, ("REDIS_PORT", "70000"));

        Assert.Equal(2, exitCode);
        Assert.Contains("REDIS_PORT: 70000 is out of range", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_outside_development_refuses_to_start_without_an_api_key()
    {
        var (exitCode, stderr) = await RunAsync(typeof(SiloApp).Assembly.Location, ("ASPNETCORE_ENVIRONMENT", "Production"), ("MAIL_PICKUP_DIR", TestHost.PickupFolder));

        Assert.Equal(2, exitCode);
        Assert.Contains("API_KEY: is required outside Development", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Front_outside_development_refuses_a_short_secret_without_printing_it()
    {
        var (exitCode, stderr) = await RunAsync(typeof(WebFrontApp).Assembly.Location, ("JWT_SECRET", "s3cret-but-short"), ("ASPNETCORE_ENVIRONMENT", "Production"));

        Assert.Equal(2, exitCode);
        Assert.Contains("JWT_SECRET:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-but-short", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string assembly, params (string Name, string Value)[] environment)
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
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the process did not exit on a bad configuration value; stdout: " + await stdout);
        }

        return (process.ExitCode, await stderr);
    }
}
