using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting.Security;

/// <summary>
/// Credentials and host names every process (silo or front) checks on its HTTP port: the API key of services and
/// operators, the dashboard's HTTP Basic credentials, and the host names it answers to. Secrets are never logged.
/// </summary>
public sealed class SecurityOptions : ISettings
{
    /// <summary>Shortest API key accepted.</summary>
    public const int MinimumApiKeyLength = 16;

    /// <summary>Shortest dashboard password accepted.</summary>
    public const int MinimumDashboardPasswordLength = 12;

    /// <summary><c>X-Api-Key</c> of other services and operators: the HTTP API, <c>/api/status</c>, health details.</summary>
    [ConfigurationKeyName("API_KEY")]
    public string? ApiKey { get; set; }

    /// <summary>HTTP Basic user of <c>/dashboard/</c>; outside Development the dashboard is off without it.</summary>
    [ConfigurationKeyName("DASHBOARD_USERNAME")]
    public string? DashboardUsername { get; set; }

    [ConfigurationKeyName("DASHBOARD_PASSWORD")]
    public string? DashboardPassword { get; set; }

    /// <summary>Host names (comma-separated, <c>*.example.com</c> allowed) the HTTP port answers to; <c>*</c>: any.</summary>
    [ConfigurationKeyName("ALLOWED_HOSTS")]
    public string AllowedHosts { get; set; } = "*";

    /// <summary><see cref="AllowedHosts"/> split and trimmed.</summary>
    public IReadOnlyList<string> AllowedHostList =>
        AllowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool HasDashboardCredentials => !string.IsNullOrEmpty(DashboardUsername);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        if (ApiKey is { Length: > 0 and < MinimumApiKeyLength })
        {
            errors.Add("API_KEY", $"must be at least {MinimumApiKeyLength} characters long");
        }

        if (string.IsNullOrEmpty(DashboardUsername) != string.IsNullOrEmpty(DashboardPassword))
        {
            errors.Add("DASHBOARD_USERNAME", "DASHBOARD_USERNAME and DASHBOARD_PASSWORD go together: set both or neither");
        }
        else if (DashboardUsername?.Contains(':', StringComparison.Ordinal) == true)
        {
            errors.Add("DASHBOARD_USERNAME", "must not contain ':' (HTTP Basic separates user and password with it)");
        }
        else if (DashboardPassword is { Length: > 0 and < MinimumDashboardPasswordLength })
        {
            errors.Add("DASHBOARD_PASSWORD", $"must be at least {MinimumDashboardPasswordLength} characters long");
        }

        if (AllowedHostList.Count == 0 || AllowedHostList.Any(h => h.Contains('/', StringComparison.Ordinal) || h.Any(char.IsWhiteSpace)))
        {
            errors.Add("ALLOWED_HOSTS", $"'{AllowedHosts}' is not a comma-separated list of host names (or *)");
        }
    }

    /// <summary>
    /// What fronts and silos need outside Development: an API key, so a front's HTTP API is never left to tokens alone
    /// and <c>/api/status</c> and <c>/metrics</c> stay reachable for operators (a silo has no other way in).
    /// </summary>
    public void RequireApiKeyOutsideDevelopment(SettingsErrors errors, IHostEnvironment environment)
    {
        if (string.IsNullOrEmpty(ApiKey) && !environment.IsDevelopment())
        {
            errors.Add("API_KEY", $"is required outside Development (at least {MinimumApiKeyLength} characters)");
        }
    }
}
