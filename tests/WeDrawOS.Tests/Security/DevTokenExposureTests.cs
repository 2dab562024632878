using System.Net;
using System.Net.Http.Json;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, finding 1: <c>dotnet run</c> handed out admin tokens because the launch profile forced Development.
/// The exported environment wins, the token endpoint needs Development and loopback, Production needs its secrets.
/// </summary>
public sealed class DevTokenExposureTests
{
    private const string Secret = "exposure-tests-secret-0123456789abcdef";

    [Fact]
    public async Task Dotnet_run_with_production_exported_runs_production_and_mints_no_tokens()
    {
        var settings = ServedProcess.Settings("Production");
        settings["JWT_SECRET"] = Secret;
        settings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        await using var front = await ServedProcess.StartAsync(ServedProcess.DotnetRun(settings));

        var minted = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "mallory", role = "admin" });

        await DevTokenTests.AssertProblem(minted, HttpStatusCode.NotFound, "not_found");
        Assert.Contains("Hosting environment: Production", front.Output, StringComparison.Ordinal);
        // What this configuration leaves open is said at start.
        await Eventually.TrueAsync(() => Task.FromResult(front.Output.Contains("CACHE_BRIDGE_SECRET is not set", StringComparison.Ordinal)), what: "the bridge warning");
        Assert.Contains("JWT_ISSUER or JWT_AUDIENCE is not set", front.Output, StringComparison.Ordinal);
        Assert.Contains("WS_ALLOWED_ORIGINS is not set", front.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_to_start_without_jwt_secret_and_api_key()
    {
        var settings = ServedProcess.Settings("Production");
        settings.Remove("API_KEY");
        settings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;

        var (exitCode, output) = await ServedProcess.RunToExitAsync(ServedProcess.Assembly(settings));

        Assert.Equal(2, exitCode);
        Assert.Contains("JWT_SECRET: is required outside Development", output, StringComparison.Ordinal);
        Assert.Contains("API_KEY: is required outside Development", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_listening_on_every_interface_mints_no_tokens()
    {
        await using var front = await ServedProcess.StartAsync(ServedProcess.Assembly(ServedProcess.Settings("Development", httpHost: "0.0.0.0")));

        var minted = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "mallory", role = "admin" });

        await DevTokenTests.AssertProblem(minted, HttpStatusCode.NotFound, "not_found");
        Assert.Contains("Hosting environment: Development", front.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_dotnet_run_is_development_on_loopback_while_the_built_front_without_an_environment_is_production()
    {
        // The README's first command: the launch profile's default makes it Development, so tokens are minted on loopback.
        var settings = ServedProcess.Settings("Development");
        settings.Remove("ASPNETCORE_ENVIRONMENT");
        await using (var front = await ServedProcess.StartAsync(ServedProcess.DotnetRun(settings)))
        {
            var minted = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice" });
            Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
            Assert.Contains("Hosting environment: Development", front.Output, StringComparison.Ordinal);
        }

        // The same variables without the launch profile: Production, which refuses to start without its secrets.
        settings.Remove("API_KEY");
        settings["HTTP_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exitCode, output) = await ServedProcess.RunToExitAsync(ServedProcess.Assembly(settings));
        Assert.Equal(2, exitCode);
        Assert.Contains("API_KEY: is required outside Development", output, StringComparison.Ordinal);
    }
}
