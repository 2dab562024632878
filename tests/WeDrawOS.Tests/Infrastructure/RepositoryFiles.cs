namespace WeDrawOS.Tests.Infrastructure;

/// <summary>Files of this repository (deployment files, docs), found from the test's output folder upwards.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

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
