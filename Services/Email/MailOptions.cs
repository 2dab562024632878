using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Services.Email;

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

    /// <summary>
    /// Allows sending <c>MAIL_USER</c>/<c>MAIL_PASS</c> over a connection without TLS (a relay that offers no STARTTLS,
    /// or one that an attacker in the path stripped it from). Off: such a connection is refused before AUTH.
    /// </summary>
    [ConfigurationKeyName("MAIL_ALLOW_PLAINTEXT_AUTH")]
    public bool AllowPlaintextAuth { get; set; }

    [ConfigurationKeyName("MAIL_FROM")]
    public string From { get; set; } = "WeDrawOS <noreply@wedrawos.local>";

    /// <summary>Folder for .eml files in pickup mode, as configured; outside Development pickup mode requires it.</summary>
    [ConfigurationKeyName("MAIL_PICKUP_DIR")]
    public string? ConfiguredPickupDirectory { get; set; }

    /// <summary>
    /// Where pickup mode writes: <c>MAIL_PICKUP_DIR</c>, or the user's own data folder
    /// (<c>$XDG_DATA_HOME/wedrawos/mail-pickup</c>, by default <c>~/.local/share/wedrawos/mail-pickup</c>), never a
    /// shared temporary folder: the files hold verification codes and reset tokens.
    /// </summary>
    public string PickupDirectory => string.IsNullOrWhiteSpace(ConfiguredPickupDirectory) ? DefaultPickupDirectory : ConfiguredPickupDirectory;

    /// <summary>The default of <see cref="PickupDirectory"/>; beside the application when the user has no home folder.</summary>
    public static string DefaultPickupDirectory
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(string.IsNullOrEmpty(data) ? Path.Combine(AppContext.BaseDirectory, "data") : data, "wedrawos", "mail-pickup");
        }
    }

    /// <summary>Connect and command timeout of the SMTP connection, in milliseconds.</summary>
    [ConfigurationKeyName("MAIL_TIMEOUT_MS")]
    public int TimeoutMs { get; set; } = 15_000;

    /// <summary>SMTP connections kept open and reused; each carries one message at a time.</summary>
    [ConfigurationKeyName("MAIL_POOL_SIZE")]
    public int PoolSize { get; set; } = 4;

    /// <summary>Folder with template files that replace the built-in ones of the same name (see docs/email.md).</summary>
    [ConfigurationKeyName("MAIL_TEMPLATE_DIR")]
    public string? TemplateDirectory { get; set; }

    /// <summary>Base URL of the web application that password-reset and activation links point to.</summary>
    [ConfigurationKeyName("MAIL_LINK_BASE_URL")]
    public string LinkBaseUrl { get; set; } = "http://localhost:8080";

    /// <summary>Path of the password-reset page under <see cref="LinkBaseUrl"/>; the token is added as <c>?token=</c>.</summary>
    [ConfigurationKeyName("MAIL_RESET_PATH")]
    public string ResetPath { get; set; } = "/reset-password";

    /// <summary>Path of the activation page under <see cref="LinkBaseUrl"/>; the token is added as <c>?token=</c>.</summary>
    [ConfigurationKeyName("MAIL_ACTIVATION_PATH")]
    public string ActivationPath { get; set; } = "/activate";

    /// <summary>PEM file of CA certificates to trust for the SMTP server's certificate, besides the system's.</summary>
    [ConfigurationKeyName("MAIL_CA_FILE")]
    public string? CaFile { get; set; }

    public bool PickupMode => string.IsNullOrWhiteSpace(Host);

    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMs);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("MAIL_PORT", Port, 1, 65535);
        if (string.IsNullOrWhiteSpace(From) || !From.Contains('@', StringComparison.Ordinal)
            || !MimeKit.MailboxAddress.TryParse(From, out var from) || from.Address.Any(char.IsWhiteSpace))
        {
            errors.Add("MAIL_FROM", "must be an e-mail address, optionally with a display name");
        }

        if (PickupMode && string.IsNullOrWhiteSpace(ConfiguredPickupDirectory) && !environment.IsDevelopment())
        {
            errors.Add("MAIL_PICKUP_DIR", "must be set outside Development when MAIL_HOST is not (pickup mode writes codes and reset tokens to disk; choose the folder)");
        }

        if (!string.IsNullOrEmpty(User) && string.IsNullOrEmpty(Password))
        {
            errors.Add("MAIL_PASS", "is required when MAIL_USER is set");
        }

        errors.Range("MAIL_TIMEOUT_MS", TimeoutMs, 100, 600_000);
        errors.Range("MAIL_POOL_SIZE", PoolSize, 1, 64);
        if (!string.IsNullOrWhiteSpace(TemplateDirectory) && !Directory.Exists(TemplateDirectory))
        {
            errors.Add("MAIL_TEMPLATE_DIR", $"folder '{TemplateDirectory}' does not exist");
        }

        if (!string.IsNullOrWhiteSpace(CaFile) && !PemFiles.IsCertificateFile(CaFile))
        {
            errors.Add("MAIL_CA_FILE", $"'{CaFile}' is not a readable PEM certificate file");
        }

        if (!Uri.TryCreate(LinkBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            errors.Add("MAIL_LINK_BASE_URL", $"'{LinkBaseUrl}' is not an absolute http(s) URL");
        }

        foreach (var (name, path) in new[] { ("MAIL_RESET_PATH", ResetPath), ("MAIL_ACTIVATION_PATH", ActivationPath) })
        {
            if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal))
            {
                errors.Add(name, $"'{path}' must be a path starting with / and without a query");
            }
        }
    }

}
