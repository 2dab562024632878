using Microsoft.Extensions.Options;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Front.Auth;

/// <summary>
/// Says at start, outside Development, which protections are left open by configuration: tokens accepted from any
/// issuer or for any audience, and sockets from any web origin.
/// </summary>
public sealed partial class SecurityStartupWarnings(
    IHostEnvironment environment,
    IOptions<AuthOptions> auth,
    IOptions<WebSocketOriginOptions> origins,
    ILogger<SecurityStartupWarnings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            return Task.CompletedTask;
        }

        if (string.IsNullOrEmpty(auth.Value.JwtIssuer) || string.IsNullOrEmpty(auth.Value.JwtAudience))
        {
            LogIssuerOrAudienceUnset();
        }

        if (origins.Value.AnyOrigin)
        {
            LogAnyOrigin();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "JWT_ISSUER or JWT_AUDIENCE is not set: any token signed with JWT_SECRET is accepted, whoever issued it for whatever audience")]
    private partial void LogIssuerOrAudienceUnset();

    [LoggerMessage(Level = LogLevel.Warning, Message = "WS_ALLOWED_ORIGINS is not set: pages of any web site can open sockets with a visitor's token")]
    private partial void LogAnyOrigin();
}
