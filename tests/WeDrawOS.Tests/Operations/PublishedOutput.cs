using System.Diagnostics;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Operations;

/// <summary>
/// The front and the silo as <c>dotnet publish</c> lays them out (what the images copy into their last stage), published
/// once for the tests that run them, into a temporary folder. The publish reuses the build the tests run on
/// (<c>--no-build</c>, same configuration), so it costs a copy, not a compilation.
/// </summary>
public sealed class PublishedOutput : IAsyncLifetime
{
    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wedrawos-publish-");

    /// <summary>The published front's folder.</summary>
    public string Front => Path.Combine(_folder.FullName, "front");

    /// <summary>The published silo's folder.</summary>
    public string Silo => Path.Combine(_folder.FullName, "silo");

    public Task InitializeAsync() => Task.WhenAll(
        PublishAsync(Path.Combine("WebFront", "WebFront.csproj"), Front),
        PublishAsync(Path.Combine("Silo", "Silo.csproj"), Silo));

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private static async Task PublishAsync(string project, string output)
    {
        await using var publish = ChildProcess.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", project, "-c", RepositoryFiles.BuildConfiguration, "--no-build", "--disable-build-servers", "-nologo", "-o", output },
            WorkingDirectory = RepositoryFiles.Root,
        });
        var exitCode = await publish.WaitForExitAsync(PublishLimit);
        Assert.True(exitCode == 0, $"dotnet publish {project} exited with {exitCode}: {publish.Output}{publish.Errors}");
    }
}
