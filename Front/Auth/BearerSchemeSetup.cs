using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using WeDrawOS.Hosting;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Auth;

/// <summary>
/// The fronts' JWT bearer scheme for the HTTP API (<c>Authorization: Bearer</c>). It validates with
/// <see cref="TokenService"/>'s parameters and identity rules, which <c>/ws</c> and the socket's <c>refresh</c> use
/// directly, and answers challenges and refusals with the contract's problem+json.
/// </summary>
public static class BearerSchemeSetup
{
    /// <summary>The detail of a 401 to a caller that sent no credentials at all.</summary>
    public const string MissingCredentials = $"send {AuthSchemes.ApiKeyHeader} or an admin bearer token";

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
