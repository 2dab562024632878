using System.Text.RegularExpressions;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Fills in deploy/nginx's template the way the nginx image's entry point does (envsubst of <c>${NAME}</c> for the
/// variables it is given; nginx's own <c>$variables</c> stay).
/// </summary>
public static partial class NginxTemplate
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>The names of the <c>${NAME}</c> placeholders, sorted.</summary>
    public static IReadOnlyList<string> Variables(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
