using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace WeDrawOS.Hosting.Security;

/// <summary>The authorization policies endpoints name with <c>RequireAuthorization(...)</c>.</summary>
public static class AuthPolicies
{
    /// <summary>The API key, or a token with the <c>admin</c> role: the HTTP API, <c>/api/status</c>, health details.</summary>
    public const string Admin = "admin";

    /// <summary>The API key, or a token with the <c>agent</c> or <c>admin</c> role: what support staff may do.</summary>
    public const string Staff = "staff";

    /// <summary>HTTP Basic with the dashboard credentials.</summary>
    public const string Dashboard = "dashboard";

    /// <summary>Adds the three policies.</summary>
    public static AuthorizationBuilder AddWeDrawOSPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Admin, p => p.RequireAssertion(c => IsService(c.User) || c.User.IsInRole(CallerRoles.Admin)))
        .AddPolicy(Staff, p => p.RequireAssertion(c => IsService(c.User) || c.User.IsInRole(CallerRoles.Admin) || c.User.IsInRole(CallerRoles.Agent)))
        .AddPolicy(Dashboard, p => p.AddAuthenticationSchemes(AuthSchemes.Dashboard).RequireAuthenticatedUser());

    /// <summary>True when the caller proved the API key: another service or an operator, trusted with everything.</summary>
    public static bool IsService(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == AuthSchemes.ApiKey);
}
