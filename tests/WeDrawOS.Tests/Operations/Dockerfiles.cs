using System.Text.RegularExpressions;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Operations;

/// <summary>What deploy/'s Dockerfiles say about the image they build: its instructions by keyword, and the assembly it runs.</summary>
public static partial class Dockerfiles
{
    /// <summary>The arguments of every <paramref name="keyword"/> instruction of the final stage (after the last <c>FROM</c>).</summary>
    public static IReadOnlyList<string> FinalStage(string file, string keyword) =>
        File.ReadAllLines(RepositoryFiles.Path("deploy", file))
            .Reverse().TakeWhile(line => !line.StartsWith("FROM ", StringComparison.Ordinal)).Reverse()
            .Where(line => line.StartsWith(keyword + " ", StringComparison.Ordinal))
            .Select(line => line[(keyword.Length + 1)..].Trim())
            .ToList();

    /// <summary>The file the image's <c>ENTRYPOINT ["dotnet", "&lt;assembly&gt;"]</c> runs.</summary>
    public static string EntryAssembly(string file)
    {
        var entrypoint = Assert.Single(FinalStage(file, "ENTRYPOINT"));
        var match = DotnetEntrypoint().Match(entrypoint);
        Assert.True(match.Success, $"{file}: ENTRYPOINT {entrypoint} does not run an assembly with dotnet");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("""^\["dotnet",\s*"([^"]+\.dll)"\]$""")]
    private static partial Regex DotnetEntrypoint();
}
