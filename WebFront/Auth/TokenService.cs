using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WeDrawOS.WebFront.Auth;

/// <summary>
/// Validates and (for development) issues the HS256 JWTs of the wire contract: <c>sub</c> and <c>exp</c> required,
/// <c>iss</c>/<c>aud</c> checked when configured, 5 minutes of clock skew, no other algorithm (so no <c>alg: none</c>).
/// </summary>
public sealed partial class TokenService
{
    /// <summary>Clock skew the contract allows on <c>exp</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SymmetricSecurityKey _key;
    private readonly TokenValidationParameters _parameters;
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
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            ValidateIssuer = !string.IsNullOrEmpty(_options.JwtIssuer),
            ValidIssuer = _options.JwtIssuer,
            ValidateAudience = !string.IsNullOrEmpty(_options.JwtAudience),
            ValidAudience = _options.JwtAudience,
        };
    }

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
            result = await _handler.ValidateTokenAsync(token, _parameters);
        }
        catch (ArgumentException)
        {
            return (null, "the token is malformed");
        }

        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenExpiredException => "the token has expired",
                SecurityTokenMalformedException or ArgumentException => "the token is malformed",
                SecurityTokenInvalidIssuerException => "the token's issuer is not accepted",
                SecurityTokenInvalidAudienceException => "the token's audience is not accepted",
                _ => "the token is not valid",
            });
        }

        var jwt = (JsonWebToken)result.SecurityToken;
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
