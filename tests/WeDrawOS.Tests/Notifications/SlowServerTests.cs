using System.Net;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Notifications;

/// <summary>
/// A relay that takes 30 s per message: the outbox sends outside its grain turns, so nothing that calls it waits for
/// the network. The tests check the order of events against the server, which tells when a message is still held
/// inside its DATA phase.
/// </summary>
public sealed class SlowServerTests
{
    private const int SlowRelayMs = 30_000;

    [Fact]
    public async Task Enqueue_status_and_a_verification_code_are_answered_while_the_first_message_is_held_in_data()
    {
        await using var smtp = await SmtpServer.StartAsync(dataDelayMs: SlowRelayMs);
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["MAIL_TIMEOUT_MS"] = "120000";
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var first = await front.QueueAsync("/api/email", new { to = "kim@example.com", subject = "first", text = "t" });
        await Eventually.TrueAsync(() => Task.FromResult(smtp.HeldRecipients().Count == 1), what: "the first message reaching DATA");

        var second = await front.QueueAsync("/api/email", new { to = "kim@example.com", subject = "second", text = "t" });
        var (codeStatus, _) = await front.PostAsync("/api/verification/issue", new { channel = "email", target = "kim@example.com", purpose = "login" });
        var firstWhileHeld = await front.GetNotificationAsync(first);
        var secondWhileHeld = await front.GetNotificationAsync(second);

        // All of that was answered before the server let go of the first message; the second waits for it (one send
        // per outbox at a time).
        Assert.Equal(["kim@example.com"], Assert.Single(smtp.HeldRecipients()));
        Assert.Equal(0, smtp.Count());
        Assert.Equal(HttpStatusCode.Accepted, codeStatus);
        Assert.Equal("sending", firstWhileHeld.Status());
        Assert.Equal(1, firstWhileHeld.Attempts());
        Assert.Equal("queued", secondWhileHeld.Status());
        Assert.Equal(0, secondWhileHeld.Attempts());

        smtp.ReleaseHeld();
        var messages = await smtp.WaitForCountAsync(3, TimeSpan.FromSeconds(30));
        foreach (var id in new[] { first, second })
        {
            var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
            Assert.Equal(1, sent.Attempts());
        }

        Assert.Equal(["first", "second"], messages.Select(m => m.Subject).Where(s => s is "first" or "second").Order(StringComparer.Ordinal));
        Assert.Equal(3, smtp.Count());
    }
}
