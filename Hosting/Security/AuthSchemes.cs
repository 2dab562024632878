namespace WeDrawOS.Hosting.Security;

/// <summary>Names of the authentication schemes of the HTTP port.</summary>
public static class AuthSchemes
{
    /// <summary>The default scheme: forwards to <see cref="ApiKey"/> when <c>X-Api-Key</c> is sent, otherwise to the token scheme (fronts).</summary>
    public const string Caller = "WeDrawOS";

    /// <summary><c>X-Api-Key</c> equal to <c>API_KEY</c>.</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>The fronts' JWT bearer scheme (<c>Authorization: Bearer</c>, or <c>access_token</c> on <c>/ws</c>).</summary>
    public const string Bearer = "Bearer";

    /// <summary>HTTP Basic with <c>DASHBOARD_USERNAME</c> / <c>DASHBOARD_PASSWORD</c>, for the Orleans dashboard only.</summary>
    public const string Dashboard = "DashboardBasic";

    /// <summary>The header services send their API key in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";
}
