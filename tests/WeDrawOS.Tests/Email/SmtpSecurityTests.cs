using System.Net;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Email;

/// <summary>STARTTLS, implicit TLS and authentication against a real aiosmtpd that insists on them.</summary>
public sealed class SmtpSecurityTests : IDisposable
{
    private const string User = "mailer";
    private const string Password = "correct-horse-battery";
    private readonly SmtpCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task Starttls_with_authentication_delivers_when_the_ca_is_trusted()
    {
        await using var smtp = await SmtpServer.StartAsync(security: _certificate.Security(implicitTls: false, User, Password));
        await using var front = await NotificationApi.StartFrontAsync(Settings(smtp, Password));

        var id = await front.QueueAsync("/api/email", new { to = "tls@example.com", subject = "over starttls", text = "t" });

        await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        Assert.Equal("over starttls", Assert.Single(smtp.Messages()).Subject);
    }

    [Fact]
    public async Task Implicit_tls_with_mail_secure_delivers()
    {
        await using var smtp = await SmtpServer.StartAsync(security: _certificate.Security(implicitTls: true, User, Password));
        var settings = Settings(smtp, Password);
        settings["MAIL_SECURE"] = "true";
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var id = await front.QueueAsync("/api/email", new { to = "tls@example.com", subject = "over implicit tls", text = "t" });

        await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        Assert.Equal("over implicit tls", Assert.Single(smtp.Messages()).Subject);
    }

    [Fact]
    public async Task A_batch_through_a_starttls_relay_offering_pipelining_reuses_authenticated_connections()
    {
        // One TCP connect, TLS handshake and AUTH per pooled connection, not per message; the relay's session log
        // counts connections (the second EHLO after STARTTLS is not a new one).
        await using var smtp = await SmtpServer.StartAsync(security: _certificate.Security(implicitTls: false, User, Password), pipelining: true);
        var settings = Settings(smtp, Password);
        settings["MAIL_POOL_SIZE"] = "2";
        await using var front = await NotificationApi.StartFrontAsync(settings);
        var batch = Enumerable.Range(0, 30).Select(i => new { to = $"relay{i}@example.com", subject = $"relay {i}", text = $"message {i}" }).ToArray();

        var (status, body) = await front.PostAsync("/api/email/batch", batch);

        Assert.Equal(HttpStatusCode.Accepted, status);
        foreach (var result in body.GetProperty("results").EnumerateArray())
        {
            await front.WaitForNotificationAsync(result.GetProperty("id").GetString()!, n => n.Status() == "sent");
        }

        Assert.Equal(
            batch.Select(b => b.subject).Order(StringComparer.Ordinal),
            smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.InRange(smtp.Sessions(), 1, 2);
    }

    [Fact]
    public async Task Refused_credentials_keep_the_mail_waiting_and_make_smtp_degraded()
    {
        await using var smtp = await SmtpServer.StartAsync(security: _certificate.Security(implicitTls: false, User, Password));
        await using var front = await NotificationApi.StartFrontAsync(Settings(smtp, "wrong-password-here"));

        var id = await front.QueueAsync("/api/email", new { to = "tls@example.com", subject = "s", text = "t" });

        var waiting = await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        Assert.Equal("the SMTP server refused the configured credentials", waiting.Error());
        var health = JsonDocument.Parse(await front.Http.GetStringAsync("/health/ready")).RootElement.GetProperty("services").GetProperty("smtp");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.DoesNotContain("wrong-password-here", health.ToString(), StringComparison.Ordinal);
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task A_certificate_nobody_trusts_is_refused_and_nothing_is_sent_in_clear()
    {
        await using var smtp = await SmtpServer.StartAsync(security: _certificate.Security(implicitTls: false, User, Password));
        var settings = Settings(smtp, Password);
        settings.Remove("MAIL_CA_FILE");
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var id = await front.QueueAsync("/api/email", new { to = "tls@example.com", subject = "s", text = "t" });

        var waiting = await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        Assert.Contains("cannot reach", waiting.Error(), StringComparison.Ordinal);
        Assert.Empty(smtp.Messages());
    }

    private Dictionary<string, string> Settings(SmtpServer smtp, string password)
    {
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["MAIL_USER"] = User;
        settings["MAIL_PASS"] = password;
        settings["MAIL_CA_FILE"] = _certificate.CertificateFile;
        return settings;
    }
}
