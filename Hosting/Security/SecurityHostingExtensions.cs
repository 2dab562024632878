using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace WeDrawOS.Hosting.Security;

/// <summary>Authentication, authorization and host checks of the HTTP port, the same on silos and fronts.</summary>
public static class SecurityHostingExtensions
{
    /// <summary>
    /// Adds the API-key and dashboard schemes, the policies, and the default scheme that picks the API key when
    /// one is sent and otherwise <paramref name="tokenScheme"/> (the fronts' bearer tokens; silos have none).
    /// The token scheme itself is added by the front.
    /// </summary>
    public static AuthenticationBuilder AddWeDrawOSSecurity(this IServiceCollection services, string? tokenScheme)
    {
        var fallback = tokenScheme ?? AuthSchemes.ApiKey;
        var authentication = services.AddAuthentication(AuthSchemes.Caller)
            .AddPolicyScheme(AuthSchemes.Caller, null, o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.PresentedKey(context.Request) is not null ? AuthSchemes.ApiKey : fallback)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, DashboardAuthenticationHandler>(AuthSchemes.Dashboard, null);
        services.AddAuthorizationBuilder().AddWeDrawOSPolicies();
        return authentication;
    }

    /// <summary>Refuses host names outside <c>ALLOWED_HOSTS</c> with 400 problem+json; first in the pipeline.</summary>
    public static WebApplication UseAllowedHosts(this WebApplication app)
    {
        var hosts = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.AllowedHostList;
        if (!hosts.Contains("*"))
        {
            var patterns = hosts.Select(h => new StringSegment(h)).ToArray();
            app.Use((context, next) =>
            {
                var host = context.Request.Host;
                return !host.HasValue || HostString.MatchesAny(host.Host, patterns)
                    ? next(context)
                    : HttpProblems.Problem(StatusCodes.Status400BadRequest, "bad_request", "此主机名不受理 / this host name is not served here (ALLOWED_HOSTS)").ExecuteAsync(context);
            });
        }

        return app;
    }

    /// <summary>Authenticates with the default scheme (API key, or the front's bearer tokens) and applies the endpoints' policies.</summary>
    public static WebApplication UseWeDrawOSAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
