using System.Globalization;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Email;

/// <summary>A server that accepts connections but never answers: sends time out, are retried, and status stays readable.</summary>
public sealed class SmtpTimeoutTests
{
    [Fact]
    public async Task A_server_that_never_answers_times_out_and_is_retried()
    {
        await using var silent = new SilentTcpServer();
        var settings = TestHost.EmbeddedSettings();
        settings["MAIL_HOST"] = "127.0.0.1";
        settings["MAIL_PORT"] = silent.Port.ToString(CultureInfo.InvariantCulture);
        settings["MAIL_TIMEOUT_MS"] = "300";
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var id = await front.QueueAsync("/api/email", new { to = "ike@example.com", subject = "s", text = "t" });

        var waiting = await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        Assert.Contains("cannot reach", waiting.Error(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_answers_while_a_send_is_in_flight()
    {
        await using var silent = new SilentTcpServer();
        var settings = TestHost.EmbeddedSettings();
        settings["MAIL_HOST"] = "127.0.0.1";
        settings["MAIL_PORT"] = silent.Port.ToString(CultureInfo.InvariantCulture);
        settings["MAIL_TIMEOUT_MS"] = "600000";
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var id = await front.QueueAsync("/api/email", new { to = "jill@example.com", subject = "s", text = "t" });

        // The send waits on a server that never greets (for up to ten minutes); the status query must not.
        var sending = await front.WaitForNotificationAsync(id, n => n.Status() == "sending");
        Assert.Equal(1, sending.Attempts());
    }
}
