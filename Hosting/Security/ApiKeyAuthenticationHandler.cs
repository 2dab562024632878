using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Hosting.Security;

/// <summary>
/// <c>X-Api-Key</c> equal to <c>API_KEY</c> (compared in constant time) authenticates another service or an operator;
/// so does <c>Authorization: ApiKey &lt;key&gt;</c>, for clients that can only set that header (Prometheus 2). No key:
/// no result (another scheme may apply). A wrong key, or a key while none is configured: failure. Challenges and
/// refusals are problem+json (<c>unauthorized</c> / <c>forbidden</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string AuthorizationPrefix = "ApiKey ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = security.Value.ApiKey;
        if (string.IsNullOrEmpty(expected) || !Secrets.FixedTimeEquals(presented, expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid"));
        }

        var identity = new ClaimsIdentity(AuthSchemes.ApiKey, CallerRoles.SubjectClaimType, CallerRoles.ClaimType);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthSchemes.ApiKey)));
    }

    /// <summary>The key the request carries, in <c>X-Api-Key</c> or as <c>Authorization: ApiKey</c>, or null.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(AuthSchemes.ApiKeyHeader, out var header))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[AuthorizationPrefix.Length..].Trim() : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await HttpProblems.WriteUnauthorizedAsync(Context, result.Failure?.Message ?? $"send {AuthSchemes.ApiKeyHeader}");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        HttpProblems.WriteForbiddenAsync(Context, "this needs the admin role");
}
