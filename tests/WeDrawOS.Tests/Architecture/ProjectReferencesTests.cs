using System.Text.RegularExpressions;
using System.Xml.Linq;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Architecture;

/// <summary>
/// The project references keep the picture of docs/architecture.md true: each project of the solution references only
/// what the table "Projects and what each may reference" allows, and only the processes' projects use ASP.NET Core.
/// </summary>
public sealed partial class ProjectReferencesTests
{
    /// <summary>The table of docs/architecture.md, by project file name; <c>null</c>: anything (tests, benchmarks).</summary>
    private static readonly Dictionary<string, string[]?> MayReference = new(StringComparer.Ordinal)
    {
        ["Grains.Interfaces"] = [],
        ["Configuration"] = [],
        ["Client"] = ["Grains.Interfaces", "Configuration"],
        ["Notifications"] = ["Grains.Interfaces", "Configuration"],
        ["Services"] = ["Grains.Interfaces", "Configuration", "Notifications"],
        ["Grains"] = ["Grains.Interfaces", "Services"],
        ["Hosting"] = ["Client", "Services"],
        ["Front"] = ["Hosting", "Notifications"],
        ["WebFront"] = ["Front", "Grains"],
        ["Silo"] = ["Hosting", "Grains"],
        ["WeDrawOS.Client.Sample"] = ["Client"],
        ["WeDrawOS.Testing"] = ["Silo", "WebFront"],
        ["WeDrawOS.Tests"] = null,
        ["WeDrawOS.Benchmarks"] = null,
    };

    /// <summary>The projects that may use ASP.NET Core (its framework reference or the web SDK).</summary>
    private static readonly HashSet<string> AspNetCoreProjects =
        new(["Hosting", "Front", "WebFront", "Silo", "WeDrawOS.Testing", "WeDrawOS.Tests", "WeDrawOS.Benchmarks"], StringComparer.Ordinal);

    [Fact]
    public void Every_project_of_the_solution_is_in_the_table()
    {
        var unknown = SolutionProjects().Keys.Where(p => !MayReference.ContainsKey(p)).ToList();

        Assert.True(unknown.Count == 0, "not in docs/architecture.md's table: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Projects_reference_only_what_the_table_allows()
    {
        var forbidden = new List<string>();
        foreach (var (project, path) in SolutionProjects())
        {
            if (MayReference.GetValueOrDefault(project) is not { } allowed)
            {
                continue;
            }

            forbidden.AddRange(ProjectReferences(path).Where(r => !allowed.Contains(r)).Select(r => project + " -> " + r));
        }

        Assert.True(forbidden.Count == 0, "references the table does not allow: " + string.Join(", ", forbidden));
    }

    [Fact]
    public void Only_the_processes_projects_use_AspNetCore()
    {
        var users = SolutionProjects()
            .Where(p => UsesAspNetCore(p.Value))
            .Select(p => p.Key)
            .ToList();

        Assert.Contains("Hosting", users);
        Assert.Contains("Front", users);
        Assert.True(users.All(AspNetCoreProjects.Contains), "uses ASP.NET Core: " + string.Join(", ", users.Where(u => !AspNetCoreProjects.Contains(u))));
    }

    /// <summary>The solution's projects: file name without extension → full path.</summary>
    private static Dictionary<string, string> SolutionProjects()
    {
        var solution = File.ReadAllText(RepositoryFiles.Path("WeDrawOS.Orleans.sln"));
        var projects = SolutionProject().Matches(solution)
            .Select(m => RepositoryFiles.Path(m.Groups[1].Value.Split('\\')))
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path), StringComparer.Ordinal);
        Assert.Contains("Grains", projects.Keys);
        return projects;
    }

    private static IEnumerable<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')));

    private static bool UsesAspNetCore(string csproj)
    {
        var project = XDocument.Load(csproj).Root!;
        return (string?)project.Attribute("Sdk") == "Microsoft.NET.Sdk.Web"
            || project.Descendants("FrameworkReference").Any(r => (string?)r.Attribute("Include") == "Microsoft.AspNetCore.App");
    }

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""([^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProject();
}
