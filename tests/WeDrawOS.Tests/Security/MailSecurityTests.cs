using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using WeDrawOS.Services.Email;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, findings 7, 10 and 11: pickup files are the owner's only and Production names their folder; codes a
/// caller sends by e-mail count against the address's limits; SMTP credentials never go over a connection without TLS.
/// </summary>
public sealed class MailSecurityTests
{
    private const string User = "mailer";
    private const string Password = "smtp-password-in-clear-0123";

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Pickup_folder_and_files_are_for_the_owner_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wedrawos-pickup-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var settings = TestHost.EmbeddedSettings();
            settings["MAIL_PICKUP_DIR"] = folder;
            await using var front = await NotificationApi.StartFrontAsync(settings);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

            var id = await front.QueueAsync("/api/email/password-reset", new { email = "yvonne@example.com", resetToken = "reset-token-0123456789", expireHours = 1 });
            await front.WaitForNotificationAsync(id, n => n.Status() == "sent");

            var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Production_pickup_mode_needs_its_folder_named_and_the_default_is_not_shared()
    {
        var errors = new WeDrawOS.Configuration.SettingsErrors();
        new MailOptions().Validate(errors, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });

        Assert.StartsWith("MAIL_PICKUP_DIR:", Assert.Single(errors.Lines), StringComparison.Ordinal);
        Assert.False(MailOptions.DefaultPickupDirectory.StartsWith(Path.GetTempPath(), StringComparison.Ordinal), MailOptions.DefaultPickupDirectory);
        Assert.EndsWith(Path.Combine("wedrawos", "mail-pickup"), MailOptions.DefaultPickupDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_sent_by_email_count_against_the_address_limits()
    {
        var settings = TestHost.EmbeddedSettings();
        settings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        await using var front = await NotificationApi.StartFrontAsync(settings);

        await front.QueueAsync("/api/email/verification-code", new { email = "victim@example.com", code = "111111", expireMinutes = 5 });
        using var second = await front.Http.PostAsync("/api/email/verification-code", Json(new { email = "Victim@Example.com", code = "222222", expireMinutes = 5 }));
        var (issued, _) = await front.PostAsync("/api/verification/issue", new { channel = "email", target = "victim@example.com", purpose = "login" });

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("rate_limited", JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.True(int.Parse(second.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, issued);
        await front.QueueAsync("/api/email/verification-code", new { email = "someone-else@example.com", code = "333333", expireMinutes = 5 });
    }

    [Fact]
    public async Task Credentials_never_go_to_a_relay_without_tls()
    {
        await using var smtp = await SmtpServer.StartAsync(plaintextAuth: new SmtpPlaintextAuth(User, Password));
        await using var wire = new RecordingTcpRelay(smtp.Host, smtp.Port);
        await using var front = await NotificationApi.StartFrontAsync(Settings(wire));

        var id = await front.QueueAsync("/api/email", new { to = "plain@example.com", subject = "s", text = "t" });

        var waiting = await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        Assert.Contains("MAIL_ALLOW_PLAINTEXT_AUTH", waiting.Error(), StringComparison.Ordinal);
        var health = JsonDocument.Parse(await front.Http.GetStringAsync("/health/ready")).RootElement.GetProperty("services").GetProperty("smtp");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains("offers no TLS", health.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("EHLO", wire.SentByClients, StringComparison.Ordinal);
        AssertNoCredentials(wire.SentByClients);
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task Plaintext_authentication_happens_only_when_explicitly_allowed()
    {
        await using var smtp = await SmtpServer.StartAsync(plaintextAuth: new SmtpPlaintextAuth(User, Password));
        await using var wire = new RecordingTcpRelay(smtp.Host, smtp.Port);
        var settings = Settings(wire);
        settings["MAIL_ALLOW_PLAINTEXT_AUTH"] = "true";
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var id = await front.QueueAsync("/api/email", new { to = "plain@example.com", subject = "s", text = "t" });

        await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        Assert.Contains("AUTH ", wire.SentByClients, StringComparison.Ordinal);
        Assert.Single(smtp.Messages());
    }

    private static Dictionary<string, string> Settings(RecordingTcpRelay wire)
    {
        var settings = TestHost.EmbeddedSettings();
        settings["MAIL_HOST"] = "127.0.0.1";
        settings["MAIL_PORT"] = wire.Port.ToString(CultureInfo.InvariantCulture);
        settings["MAIL_TIMEOUT_MS"] = "5000";
        settings["MAIL_USER"] = User;
        settings["MAIL_PASS"] = Password;
        return settings;
    }

    /// <summary>Neither the password nor the AUTH PLAIN / LOGIN encodings of it crossed the wire.</summary>
    private static void AssertNoCredentials(string sent)
    {
        Assert.DoesNotContain("AUTH", sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Password, sent, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), sent, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + User + "\0" + Password)), sent, StringComparison.Ordinal);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
