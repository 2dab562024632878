namespace WeDrawOS.Tests.Infrastructure;

/// <summary>Files of this repository (deployment files, docs), found from the test's output folder upwards.</summary>
public static class RepositoryFiles
{
    /// <summary>The folder of <c>WeDrawOS.Orleans.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below <see cref="Root"/>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>
    /// The configuration the tests were built in (<c>Release</c> in CI), and with them the projects they reference:
    /// commands that reuse those outputs (<c>--no-build</c>) name it.
    /// </summary>
#if DEBUG
    public const string BuildConfiguration = "Debug";
#else
    public const string BuildConfiguration = "Release";
#endif

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "WeDrawOS.Orleans.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("WeDrawOS.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
