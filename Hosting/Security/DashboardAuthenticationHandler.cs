using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Hosting.Security;

/// <summary>
/// HTTP Basic for the Orleans dashboard: user and password equal to <c>DASHBOARD_USERNAME</c> /
/// <c>DASHBOARD_PASSWORD</c>, each compared in constant time. The challenge sends <c>WWW-Authenticate: Basic</c>, so
/// a browser asks for them.
/// </summary>
public sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The challenge; browsers show the realm in their prompt.</summary>
    public const string Challenge = "Basic realm=\"WeDrawOS dashboard\", charset=\"UTF-8\"";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var (user, password) = Decode(header.Parameter);
        var configured = security.Value;
        // Both comparisons always run, so the time taken does not say which of the two was wrong.
        var userMatches = Secrets.FixedTimeEquals(user ?? "", configured.DashboardUsername ?? "");
        var passwordMatches = Secrets.FixedTimeEquals(password ?? "", configured.DashboardPassword ?? "");
        if (user is null || !configured.HasDashboardCredentials || !(userMatches & passwordMatches))
        {
            return Task.FromResult(AuthenticateResult.Fail("仪表板用户名或密码错误 / the dashboard user name or password is not valid"));
        }

        var identity = new ClaimsIdentity([new Claim(CallerRoles.SubjectClaimType, user)], AuthSchemes.Dashboard, CallerRoles.SubjectClaimType, CallerRoles.ClaimType);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthSchemes.Dashboard)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = Challenge;
        await HttpProblems.WriteUnauthorizedAsync(Context, result.Failure?.Message ?? "仪表板需要用户名和密码 / the dashboard needs its user name and password");
    }

    private static (string? User, string? Password) Decode(string? parameter)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
