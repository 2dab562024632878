using System.Text.RegularExpressions;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Operations;

/// <summary>The variables the README's configuration table documents: the names in the first column of its rows.</summary>
public static partial class ReadmeVariables
{
    public static IReadOnlySet<string> Documented { get; } = Read();

    private static HashSet<string> Read()
    {
        var readme = File.ReadAllText(RepositoryFiles.Path("README.md"));
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Configuration' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => VariableName().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("`([A-Z][A-Z0-9_]+)`")]
    private static partial Regex VariableName();
}
