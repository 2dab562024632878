namespace WeDrawOS.WebFront;

/// <summary>
/// The environment a front runs in when nobody chose one. <c>dotnet run</c>'s launch profile sets
/// <c>WEDRAWOS_DEFAULT_ENVIRONMENT=Development</c> rather than <c>ASPNETCORE_ENVIRONMENT</c>: a launch profile's
/// variables override exported ones, so forcing <c>ASPNETCORE_ENVIRONMENT</c> there turned an exported Production
/// into Development (and handed out admin tokens). A default only fills the gap; an exported
/// <c>ASPNETCORE_ENVIRONMENT</c>/<c>DOTNET_ENVIRONMENT</c> or <c>--environment</c> always wins, and the published
/// front (no launch profile) runs in Production unless told otherwise.
/// </summary>
internal static class DefaultEnvironment
{
    public const string Variable = "WEDRAWOS_DEFAULT_ENVIRONMENT";

    /// <summary>The default to apply, or null when an environment was chosen (or no default was given).</summary>
    public static string? Resolve(string[] args)
    {
        var chosen = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
            || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase));
        var fallback = Environment.GetEnvironmentVariable(Variable);
        return chosen || string.IsNullOrEmpty(fallback) ? null : fallback;
    }
}
