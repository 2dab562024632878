using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Front.Auth;

/// <summary>Token settings. The secret is never logged or returned. The API key is <c>SecurityOptions.ApiKey</c>, shared with silos.</summary>
public sealed class AuthOptions : ISettings
{
    /// <summary>Bytes an HS256 secret needs at least (the length of the hash).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>Longest clock skew accepted on <c>exp</c> and <c>nbf</c>.</summary>
    public const int MaximumClockSkewSeconds = 300;

    /// <summary>HS256 secret as UTF-8 bytes. Optional in Development, where a random one is made per process.</summary>
    [ConfigurationKeyName("JWT_SECRET")]
    public string? JwtSecret { get; set; }

    [ConfigurationKeyName("JWT_ISSUER")]
    public string? JwtIssuer { get; set; }

    [ConfigurationKeyName("JWT_AUDIENCE")]
    public string? JwtAudience { get; set; }

    /// <summary>Seconds a token is still accepted after its <c>exp</c> (and before its <c>nbf</c>), for clocks that differ a little.</summary>
    [ConfigurationKeyName("JWT_CLOCK_SKEW_SECONDS")]
    public int JwtClockSkewSeconds { get; set; } = 30;

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(JwtClockSkewSeconds);

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

        errors.Range("JWT_CLOCK_SKEW_SECONDS", JwtClockSkewSeconds, 0, MaximumClockSkewSeconds);
    }
}
