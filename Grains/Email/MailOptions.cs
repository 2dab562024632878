using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Grains.Hosting.Configuration;

namespace WeDrawOS.Grains.Email;

/// <summary>SMTP settings with the original service's names. No <c>MAIL_HOST</c> means pickup mode (.eml files).</summary>
public sealed class MailOptions : ISettings
{
    [ConfigurationKeyName("MAIL_HOST")]
    public string? Host { get; set; }

    [ConfigurationKeyName("MAIL_PORT")]
    public int Port { get; set; } = 587;

    /// <summary>True: implicit TLS (usually port 465); false: STARTTLS when the server offers it.</summary>
    [ConfigurationKeyName("MAIL_SECURE")]
    public bool Secure { get; set; }

    [ConfigurationKeyName("MAIL_USER")]
    public string? User { get; set; }

    [ConfigurationKeyName("MAIL_PASS")]
    public string? Password { get; set; }

    [ConfigurationKeyName("MAIL_FROM")]
    public string From { get; set; } = "WeDrawOS <noreply@wedrawos.local>";

    /// <summary>Folder for .eml files in pickup mode.</summary>
    [ConfigurationKeyName("MAIL_PICKUP_DIR")]
    public string PickupDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "wedrawos-mail-pickup");

    public bool PickupMode => string.IsNullOrWhiteSpace(Host);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("MAIL_PORT", Port, 1, 65535);
        if (string.IsNullOrWhiteSpace(From) || !From.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("MAIL_FROM", "must be an e-mail address, optionally with a display name");
        }

        if (!string.IsNullOrEmpty(User) && string.IsNullOrEmpty(Password))
        {
            errors.Add("MAIL_PASS", "is required when MAIL_USER is set");
        }
    }
}
