using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using WeDrawOS.Grains.Hosting.Security;

namespace WeDrawOS.WebFront.Auth;

/// <summary>
/// The fronts' JWT bearer scheme: the token comes from <c>Authorization: Bearer</c>, and on <c>/ws</c> first from
/// <c>access_token</c> (browsers cannot set headers on a WebSocket). It validates with <see cref="TokenService"/>'s
/// parameters and identity rules, and answers challenges and refusals with the contract's problem+json.
/// </summary>
public static class BearerSchemeSetup
{
    /// <summary>The detail of a 401 to a caller that sent no credentials at all.</summary>
    public const string MissingCredentials = $"send {AuthSchemes.ApiKeyHeader} or an admin bearer token";

    /// <summary>The path where the token may come as a query parameter.</summary>
    public const string SocketPath = "/ws";

    public static IServiceCollection AddWeDrawOSBearer(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(AuthSchemes.Bearer, _ => { });
        services.AddOptions<JwtBearerOptions>(AuthSchemes.Bearer).Configure<TokenService>(Configure);
        return services;
    }

    private static void Configure(JwtBearerOptions options, TokenService tokens)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = tokens.Parameters;
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                var query = context.Request.Query["access_token"].ToString();
                if (query.Length > 0 && context.Request.Path.StartsWithSegments(SocketPath))
                {
                    context.Token = query;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var (identity, error) = TokenService.Identify((JsonWebToken)context.SecurityToken);
                if (identity is null)
                {
                    context.Fail(new TokenRefusedException(error!));
                }
                else
                {
                    context.Principal = identity.ToPrincipal();
                }

                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                context.HandleResponse();
                return HttpProblems.WriteUnauthorizedAsync(context.HttpContext, context.AuthenticateFailure is { } failure ? TokenService.Describe(failure) : MissingCredentials);
            },
            OnForbidden = context => HttpProblems.WriteForbiddenAsync(context.HttpContext, "the HTTP API needs the admin role"),
        };
    }
}
