using System.Net;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Notifications;

/// <summary>The recipient outbox through the HTTP API, against a real SMTP server: delivery, retries, failure, lookup by id.</summary>
public sealed class NotifierOutboxTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Queued_email_is_delivered_and_its_id_reports_sent_with_one_attempt()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));

        var id = await front.QueueAsync("/api/email", new { to = "alice@example.com", subject = "hello", text = "first message" });

        var messages = await smtp.WaitForCountAsync(1, Wait);
        Assert.Equal("alice@example.com", Assert.Single(messages).To.Mailboxes.Single().Address);
        var notification = await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        Assert.Equal(id, notification.GetProperty("id").GetString());
        Assert.Equal("email", notification.GetProperty("channel").GetString());
        Assert.Equal("alice@example.com", notification.GetProperty("to").GetString());
        Assert.Equal(1, notification.Attempts());
        Assert.Equal("smtp", notification.GetProperty("provider").GetString());
        Assert.True(notification.TryGetProperty("sentAt", out _));
        Assert.False(notification.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task A_5xx_rejection_ends_failed_after_one_attempt_without_retries()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));

        var rejected = await front.QueueAsync("/api/email", new { to = "reject-bob@example.com", subject = "s", text = "t" });

        var notification = await front.WaitForNotificationAsync(rejected, n => n.Status() == "failed");
        Assert.Equal(1, notification.Attempts());
        Assert.Contains("550", notification.Error(), StringComparison.Ordinal);

        // A later message to someone else goes out on the same server: had the rejected one been retried
        // (retries are 100 ms apart here) its attempts would have grown by now.
        var accepted = await front.QueueAsync("/api/email", new { to = "carol@example.com", subject = "s", text = "t" });
        await front.WaitForNotificationAsync(accepted, n => n.Status() == "sent");
        await front.WaitForNotificationAsync(rejected, n => n.Status() == "failed" && n.Attempts() == 1);
        Assert.Equal(["carol@example.com"], smtp.Messages().Select(m => m.To.Mailboxes.Single().Address));
    }

    [Fact]
    public async Task A_4xx_reply_is_retried_with_back_off_until_the_server_accepts()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));
        smtp.TemporaryFailures = true;

        var id = await front.QueueAsync("/api/email", new { to = "dave@example.com", subject = "s", text = "t" });
        var retrying = await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        Assert.Contains("451", retrying.Error(), StringComparison.Ordinal);
        smtp.TemporaryFailures = false;

        var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        Assert.True(sent.Attempts() >= 3);
        Assert.Single(smtp.Messages());
    }

    [Fact]
    public async Task Transient_failures_end_failed_with_the_reason_after_the_last_attempt()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["NOTIFY_MAX_ATTEMPTS"] = "3";
        await using var front = await NotificationApi.StartFrontAsync(settings);
        smtp.TemporaryFailures = true;

        var id = await front.QueueAsync("/api/email", new { to = "erin@example.com", subject = "s", text = "t" });

        var failed = await front.WaitForNotificationAsync(id, n => n.Status() == "failed");
        Assert.Equal(3, failed.Attempts());
        Assert.StartsWith("gave up after 3 attempts: 451", failed.Error(), StringComparison.Ordinal);
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task Mail_sent_while_the_server_is_down_is_accepted_and_arrives_exactly_once_when_it_returns()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));
        await smtp.StopAsync();

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            // Five recipients with four messages each: outboxes with several pending messages as well as several outboxes.
            ids.Add(await front.QueueAsync("/api/email", new { to = $"user{i % 5}@example.com", subject = $"message {i}", text = "t" }));
        }

        var waiting = await front.WaitForNotificationAsync(ids[0], n => n.Status() == "retrying");
        Assert.Contains("cannot reach", waiting.Error(), StringComparison.Ordinal);

        Assert.Contains("20 notification(s) waiting", await WaitForSmtpHealthAsync(front, d => d.Contains("20 notification(s)", StringComparison.Ordinal)), StringComparison.Ordinal);
        await WaitForQueueDepthAsync(front, 20);

        await smtp.StartAgainAsync();

        foreach (var id in ids)
        {
            await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        }

        await WaitForQueueDepthAsync(front, 0);

        var subjects = smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"message {i}").Order(StringComparer.Ordinal), subjects);
    }

    /// <summary>Polls the <c>smtp</c> entry of <c>/health/ready</c> until it is degraded with a matching description.</summary>
    private static async Task<string> WaitForSmtpHealthAsync(TestHost front, Func<string, bool> done)
    {
        var smtp = await Eventually.MatchAsync(
            async () => JsonDocument.Parse(await front.Http.GetStringAsync("/health/ready")).RootElement.GetProperty("services").GetProperty("smtp"),
            smtp => smtp.GetProperty("status").GetString() == "degraded" && done(smtp.GetProperty("description").GetString()!),
            Wait,
            "smtp health degraded as expected");
        return smtp.GetProperty("description").GetString()!;
    }

    /// <summary>Polls <c>notificationQueueDepth</c> in <c>/api/status</c> until it equals <paramref name="expected"/>.</summary>
    private static Task WaitForQueueDepthAsync(TestHost front, int expected) =>
        Eventually.MatchAsync(
            async () => JsonDocument.Parse(await front.Http.GetStringAsync("/api/status")).RootElement.GetProperty("notificationQueueDepth"),
            depth => depth.ValueKind == JsonValueKind.Number && depth.GetInt32() == expected,
            Wait,
            $"notificationQueueDepth {expected}");

    [Fact]
    public async Task A_pooled_connection_the_server_dropped_is_replaced_without_costing_an_attempt()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));
        var first = await front.QueueAsync("/api/email", new { to = "gina@example.com", subject = "before", text = "t" });
        await front.WaitForNotificationAsync(first, n => n.Status() == "sent");

        // The idle pooled connection dies with the server; the server is back before the next message.
        await smtp.StopAsync();
        await smtp.StartAgainAsync();
        var second = await front.QueueAsync("/api/email", new { to = "gina@example.com", subject = "after", text = "t" });

        var sent = await front.WaitForNotificationAsync(second, n => n.Status() == "sent");
        Assert.Equal(1, sent.Attempts());
        Assert.Equal(["after", "before"], smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(2, smtp.Sessions());
    }

    [Fact]
    public async Task Recipient_history_lists_notifications_newest_first()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));
        var first = await front.QueueAsync("/api/email", new { to = "Frank@Example.com", subject = "one", text = "t" });
        var second = await front.QueueAsync("/api/email/verification-code", new { email = "frank@example.com", code = "123456", expireMinutes = 5 });

        var history = JsonDocument.Parse(await front.Http.GetStringAsync("/api/email/history?email=frank@example.com&limit=10")).RootElement;

        var items = history.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([second, first], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(["verification_code", "custom"], items.Select(i => i.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task History_is_bounded_and_dropped_notifications_are_no_longer_found()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["NOTIFY_HISTORY_LIMIT"] = "2";
        await using var front = await NotificationApi.StartFrontAsync(settings);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await front.QueueAsync("/api/email", new { to = "hank@example.com", subject = $"h{i}", text = "t" }));
            await front.WaitForNotificationAsync(ids[^1], n => n.Status() == "sent");
        }

        var history = JsonDocument.Parse(await front.Http.GetStringAsync("/api/email/history?email=hank@example.com")).RootElement;
        Assert.Equal([ids[2], ids[1]], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        using var dropped = await front.Http.GetAsync($"/api/notifications/{ids[0]}");
        Assert.Equal(HttpStatusCode.NotFound, dropped.StatusCode);
        Assert.Equal(3, smtp.Messages().Count);
    }

    [Fact]
    public async Task Unknown_or_malformed_notification_ids_are_not_found()
    {
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings());

        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "not-an-id" })
        {
            using var response = await front.Http.GetAsync($"/api/notifications/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("not_found", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_recipient_with_too_many_waiting_messages_gets_429_with_retry_after()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["NOTIFY_PENDING_LIMIT"] = "2";
        await using var front = await NotificationApi.StartFrontAsync(settings);
        smtp.TemporaryFailures = true;
        await front.QueueAsync("/api/email", new { to = "yvonne@example.com", subject = "1", text = "t" });
        await front.QueueAsync("/api/email", new { to = "yvonne@example.com", subject = "2", text = "t" });

        using var response = await front.Http.PostAsync("/api/email", System.Net.Http.Json.JsonContent.Create(new { to = "yvonne@example.com", subject = "3", text = "t" }));
        var other = await front.QueueAsync("/api/email", new { to = "zoe@example.com", subject = "4", text = "t" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        smtp.TemporaryFailures = false;
        await front.WaitForNotificationAsync(other, n => n.Status() == "sent");
        await smtp.WaitForCountAsync(3, Wait);
        Assert.Equal(["1", "2", "4"], smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Notification_lookup_needs_the_api_key()
    {
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings());
        using var anonymous = new HttpClient { BaseAddress = front.BaseAddress };

        using var response = await anonymous.GetAsync("/api/notifications/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
