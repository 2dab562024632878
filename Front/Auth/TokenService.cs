using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WeDrawOS.Front.Auth;

/// <summary>
/// The one place that says what a valid token is: HS256 only (so no <c>alg: none</c>), <c>exp</c> and <c>sub</c>
/// required, <c>iss</c>/<c>aud</c> checked when configured, <c>JWT_CLOCK_SKEW_SECONDS</c> of clock skew. The HTTP API's
/// bearer scheme (<see cref="BearerSchemeSetup"/>), <c>/ws</c> and the socket's <c>refresh</c> frame all validate with
/// <see cref="Parameters"/> and <see cref="Identify"/>. Also issues development tokens.
/// </summary>
public sealed partial class TokenService
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SymmetricSecurityKey _key;
    private readonly AuthOptions _options;

    public TokenService(IOptions<AuthOptions> options, ILogger<TokenService> logger)
    {
        _options = options.Value;
        byte[] secret;
        if (string.IsNullOrEmpty(_options.JwtSecret))
        {
            // Only reachable in Development (settings validation refuses it elsewhere).
            secret = RandomNumberGenerator.GetBytes(AuthOptions.MinimumSecretBytes);
            LogRandomSecret(logger);
        }
        else
        {
            secret = Encoding.UTF8.GetBytes(_options.JwtSecret);
        }

        _key = new SymmetricSecurityKey(secret);
        Parameters = new TokenValidationParameters
        {
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            ValidateIssuer = !string.IsNullOrEmpty(_options.JwtIssuer),
            ValidIssuer = _options.JwtIssuer,
            ValidateAudience = !string.IsNullOrEmpty(_options.JwtAudience),
            ValidAudience = _options.JwtAudience,
        };
    }

    /// <summary>What a token must satisfy; shared with the bearer scheme.</summary>
    public TokenValidationParameters Parameters { get; }

    /// <summary>The caller a token names, or null with a reason safe to show (never the token or the secret).</summary>
    public async Task<(UserIdentity? Identity, string? Error)> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, "a token is required");
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, Parameters);
        }
        catch (ArgumentException)
        {
            return (null, "the token is malformed");
        }

        return result.IsValid ? Identify((JsonWebToken)result.SecurityToken) : (null, Describe(result.Exception));
    }

    /// <summary>The identity of a token whose signature and lifetime are valid: it must name its user (<c>sub</c>); an unknown role is a customer.</summary>
    public static (UserIdentity? Identity, string? Error) Identify(JsonWebToken jwt)
    {
        var subject = jwt.Subject;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return (null, "the token has no sub claim");
        }

        jwt.TryGetPayloadValue<string>("name", out var name);
        jwt.TryGetPayloadValue<string>("role", out var role);
        role = role is not null && UserIdentity.Roles.Contains(role) ? role : UserIdentity.Customer;
        return (new UserIdentity(subject, name, role, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)), null);
    }

    /// <summary>Why a token was refused, in words safe to show (never the token or the secret).</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        TokenRefusedException refused => refused.Message,
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenMalformedException or ArgumentException => "the token is malformed",
        SecurityTokenInvalidIssuerException => "the token's issuer is not accepted",
        SecurityTokenInvalidAudienceException => "the token's audience is not accepted",
        SecurityTokenException => "the token is not valid",
        // The framework's own failure when no handler could even read the token.
        _ => "the token is malformed",
    };

    /// <summary>Signs a token with the configured secret, issuer and audience (development tokens, tests, tools).</summary>
    public string Issue(string userId, string role, string? name, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object> { ["sub"] = userId, ["role"] = role };
        if (!string.IsNullOrEmpty(name))
        {
            claims["name"] = name;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = DateTime.UtcNow.Add(lifetime),
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-1),
            Issuer = _options.JwtIssuer,
            Audience = _options.JwtAudience,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "JWT_SECRET is not set: using a random development secret; tokens end with this process")]
    private static partial void LogRandomSecret(ILogger logger);
}
