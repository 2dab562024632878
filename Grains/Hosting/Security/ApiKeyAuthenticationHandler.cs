using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Grains.Hosting.Security;

/// <summary>
/// <c>X-Api-Key</c> equal to <c>API_KEY</c> (compared in constant time) authenticates another service or an operator.
/// No header: no result (another scheme may apply). A wrong key, or a key while none is configured: failure.
/// Challenges and refusals are problem+json (<c>unauthorized</c> / <c>forbidden</c>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(AuthSchemes.ApiKeyHeader, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = security.Value.ApiKey;
        if (string.IsNullOrEmpty(expected) || !Secrets.FixedTimeEquals(presented.ToString(), expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid"));
        }

        var identity = new ClaimsIdentity(AuthSchemes.ApiKey, CallerRoles.SubjectClaimType, CallerRoles.ClaimType);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthSchemes.ApiKey)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await HttpProblems.WriteUnauthorizedAsync(Context, result.Failure?.Message ?? $"send {AuthSchemes.ApiKeyHeader}");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        HttpProblems.WriteForbiddenAsync(Context, "this needs the admin role");
}
