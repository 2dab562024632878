using System.Net;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Email;

/// <summary>Batches: per-recipient results, every valid message exactly once, over reused connections.</summary>
public sealed class EmailBatchTests
{
    [Fact]
    public async Task A_batch_of_200_arrives_exactly_once_each_over_a_few_reused_connections()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["MAIL_POOL_SIZE"] = "4";
        await using var front = await NotificationApi.StartFrontAsync(settings);
        var batch = Enumerable.Range(0, 200).Select(i => new { to = $"batch{i}@example.com", subject = $"batch {i}", text = $"message {i}" }).ToArray();

        var (status, body) = await front.PostAsync("/api/email/batch", batch);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(batch.Select(b => b.to), results.Select(r => r.GetProperty("to").GetString()));
        Assert.All(results, r => Assert.False(r.TryGetProperty("error", out _)));
        Assert.Equal(200, results.Select(r => r.GetProperty("id").GetString()).Distinct().Count());

        await smtp.WaitForCountAsync(200, TimeSpan.FromSeconds(60));
        foreach (var result in results)
        {
            await front.WaitForNotificationAsync(result.GetProperty("id").GetString()!, n => n.Status() == "sent");
        }

        var received = smtp.Messages();
        Assert.Equal(
            batch.Select(b => $"{b.to} {b.subject}").Order(StringComparer.Ordinal),
            received.Select(m => $"{m.To.Mailboxes.Single().Address} {m.Subject}").Order(StringComparer.Ordinal));
        Assert.InRange(smtp.Sessions(), 1, 4);
    }

    [Fact]
    public async Task A_batch_reports_invalid_recipients_and_sends_the_others()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));

        var (status, body) = await front.PostAsync("/api/email/batch", new object[]
        {
            new { to = "good1@example.com", subject = "one", text = "t" },
            new { to = "bad\r\nBcc: x@example.com", subject = "two", text = "t" },
            new { to = "good2@example.com", subject = "three\r\nX-Injected: 1", text = "t" },
            new { to = "good3@example.com", subject = "four", html = "<p>h</p>" },
        });

        Assert.Equal(HttpStatusCode.Accepted, status);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.True(results[0].TryGetProperty("id", out _));
        Assert.Contains("line breaks", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(results[1].TryGetProperty("id", out _));
        Assert.Contains("line breaks", results[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(results[3].TryGetProperty("id", out _));
        await front.WaitForNotificationAsync(results[3].GetProperty("id").GetString()!, n => n.Status() == "sent");
        await front.WaitForNotificationAsync(results[0].GetProperty("id").GetString()!, n => n.Status() == "sent");
        Assert.Equal(["four", "one"], smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_dotnet_api_returns_one_result_per_recipient()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));
        var email = front.GetRequiredService<IEmailService>();

        var results = await email.SendBatch(
        [
            new EmailMessage("uma@example.com", "one", "t"),
            new EmailMessage("nobody", "two", "t"),
            new EmailMessage("reject-victor@example.com", "three", "t"),
        ]);
        var single = await email.SendVerificationCode("walter@example.com", "777777", 3, "en");

        Assert.Equal(["uma@example.com", "nobody", "reject-victor@example.com"], results.Select(r => r.To));
        Assert.NotNull(results[0].Id);
        Assert.Null(results[1].Id);
        Assert.NotNull(results[1].Error);
        Assert.NotNull(results[2].Id);
        await front.WaitForNotificationAsync(results[0].Id!, n => n.Status() == "sent");
        await front.WaitForNotificationAsync(single, n => n.Status() == "sent");
        var rejected = await front.WaitForNotificationAsync(results[2].Id!, n => n.Status() == "failed");
        Assert.Equal(1, rejected.Attempts());
        await Assert.ThrowsAsync<ArgumentException>(() => email.SendMail("x@example.com", "a\r\nBcc: y@example.com", "t", null));
    }
}
