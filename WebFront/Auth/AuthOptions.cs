using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Grains.Hosting.Configuration;

namespace WeDrawOS.WebFront.Auth;

/// <summary>Token and API-key settings. The secret and the key are never logged or returned.</summary>
public sealed class AuthOptions : ISettings
{
    /// <summary>Bytes an HS256 secret needs at least (the length of the hash).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>HS256 secret as UTF-8 bytes. Optional in Development, where a random one is made per process.</summary>
    [ConfigurationKeyName("JWT_SECRET")]
    public string? JwtSecret { get; set; }

    [ConfigurationKeyName("JWT_ISSUER")]
    public string? JwtIssuer { get; set; }

    [ConfigurationKeyName("JWT_AUDIENCE")]
    public string? JwtAudience { get; set; }

    /// <summary>Key other services send as <c>X-Api-Key</c>. Without it only admin tokens reach the HTTP API.</summary>
    [ConfigurationKeyName("API_KEY")]
    public string? ApiKey { get; set; }

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        var secretBytes = JwtSecret is null ? 0 : Encoding.UTF8.GetByteCount(JwtSecret);
        if (secretBytes == 0 && !environment.IsDevelopment())
        {
            errors.Add("JWT_SECRET", $"is required outside Development (at least {MinimumSecretBytes} bytes)");
        }
        else if (secretBytes is > 0 and < MinimumSecretBytes)
        {
            errors.Add("JWT_SECRET", $"is {secretBytes} bytes long; at least {MinimumSecretBytes} are required");
        }

        if (ApiKey is { Length: > 0 and < 16 })
        {
            errors.Add("API_KEY", "must be at least 16 characters long");
        }
    }
}
