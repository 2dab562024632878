using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Notifications;

/// <summary>Outboxes in cluster mode on the shared Redis: state and reminders outlive the silo that held them.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class NotifierClusterTests(SharedRedis redis)
{
    [Fact]
    public async Task Stopping_the_silo_in_the_middle_of_retries_loses_nothing()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var clusterId = "notify-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Member() => NotificationApi.Fast(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));
        await using var siloA = await TestHost.StartSiloAsync(Member());
        await using var siloB = await TestHost.StartSiloAsync(Member());
        await using var front = await NotificationApi.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));
        smtp.TemporaryFailures = true;

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await front.QueueAsync("/api/email", new { to = $"restart{i}@example.com", subject = $"restart {i}", text = "t" }));
        }

        foreach (var id in ids)
        {
            await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        }

        // Stop the silo that holds the most outboxes (with six of them, at least one is on each or all on one).
        var management = front.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var outboxes = (await management.GetDetailedGrainStatistics()).Where(s => s.GrainType.Contains("NotifierGrain", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(outboxes);
        var holder = outboxes.GroupBy(s => s.SiloAddress).MaxBy(g => g.Count())!.Key;
        var holderHost = new[] { siloA, siloB }.Single(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(holder));
        await holderHost.StopAsync();
        smtp.TemporaryFailures = false;

        // Nothing calls the outboxes until the mail has arrived: what wakes those of the stopped silo is their
        // reminder, now served by the other silo.
        await smtp.WaitForCountAsync(ids.Count, TimeSpan.FromSeconds(60));
        foreach (var id in ids)
        {
            var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent", TimeSpan.FromSeconds(60));
            Assert.True(sent.Attempts() >= 3);
        }

        var subjects = smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"restart {i}"), subjects);
    }

    [Fact]
    public async Task A_send_in_flight_when_its_silo_stops_is_resumed_by_the_other_silo()
    {
        // Held longer than a silo stop can take on a loaded machine (the test releases it), within the outbox's 2 min per send.
        await using var smtp = await SmtpServer.StartAsync(dataDelayMs: 90_000);
        var clusterId = "notify-" + Guid.NewGuid().ToString("N")[..8];
        await using var siloA = await TestHost.StartSiloAsync(HoldingMember(smtp, clusterId));
        await using var siloB = await TestHost.StartSiloAsync(HoldingMember(smtp, clusterId));
        await using var front = await NotificationApi.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));

        var id = await front.QueueAsync("/api/email", new { to = "midsend@example.com", subject = "mid-send", text = "t" });
        await Eventually.TrueAsync(() => Task.FromResult(smtp.HeldRecipients().Count == 1), what: "the message reaching DATA");
        Assert.Equal("sending", (await front.GetNotificationAsync(id)).Status());

        // Stop the silo whose outbox is sending: its shutdown interrupts the send, which the outbox records as a
        // transient failure, and it starts no other attempt while its silo stops; its reminder then wakes the outbox
        // on the other silo.
        var holderHost = await OutboxHolderAsync(front, siloA, siloB);
        await holderHost.StopAsync();
        smtp.ReleaseHeld();

        var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent", TimeSpan.FromSeconds(60));
        Assert.Equal(2, sent.Attempts());

        // Once: the interrupted attempt's connection was closed before the hold ended, so the server dropped that copy.
        Assert.Single(smtp.Messages(), m => m.Subject == "mid-send");
    }

    [Fact]
    public async Task An_outbox_on_a_stopping_silo_starts_no_send()
    {
        await using var smtp = await SmtpServer.StartAsync(dataDelayMs: 90_000);
        var clusterId = "notify-" + Guid.NewGuid().ToString("N")[..8];
        await using var siloA = await TestHost.StartSiloAsync(HoldingMember(smtp, clusterId));
        await using var siloB = await TestHost.StartSiloAsync(HoldingMember(smtp, clusterId));
        await using var front = await NotificationApi.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));

        // Two notifications to one recipient: the second waits in the outbox while the first is held in DATA.
        var first = await front.QueueAsync("/api/email", new { to = "stopping@example.com", subject = "first", text = "t" });
        await Eventually.TrueAsync(() => Task.FromResult(smtp.HeldRecipients().Count == 1), what: "the first message reaching DATA");
        var second = await front.QueueAsync("/api/email", new { to = "stopping@example.com", subject = "second", text = "t" });
        Assert.Equal("queued", (await front.GetNotificationAsync(second)).Status());

        // The shutdown begins (ApplicationStopping) and the first send is interrupted. The tests' hosts are started,
        // not run, so nothing stops this one on that signal: it keeps serving until the test stops it, which holds
        // open the window between a shutdown's start and the deactivation of its grains.
        var holderHost = await OutboxHolderAsync(front, siloA, siloB);
        holderHost.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var interrupted = await front.WaitForNotificationAsync(first, n => n.Attempts() >= 1 && n.Status() != "sending");
        Assert.Equal("retrying", interrupted.Status());
        Assert.Equal(1, interrupted.Attempts());

        // The outbox records a send's outcome in the same turn in which it starts the next due send, so the second
        // one's fate is already decided here: a send started now would be cancelled at once and still count.
        var waiting = await front.GetNotificationAsync(second);
        Assert.Equal("queued", waiting.Status());
        Assert.Equal(0, waiting.Attempts());

        await holderHost.StopAsync();
        smtp.ReleaseHeld();
        var resumedFirst = await front.WaitForNotificationAsync(first, n => n.Status() == "sent", TimeSpan.FromSeconds(60));
        var resumedSecond = await front.WaitForNotificationAsync(second, n => n.Status() == "sent", TimeSpan.FromSeconds(60));
        Assert.Equal(2, resumedFirst.Attempts());
        Assert.Equal(1, resumedSecond.Attempts());
        Assert.Equal(["first", "second"], smtp.Messages().Select(m => m.Subject).Order(StringComparer.Ordinal));
    }

    /// <summary>A cluster member whose SMTP client waits out the held DATA phases of <paramref name="smtp"/>.</summary>
    private Dictionary<string, string> HoldingMember(SmtpServer smtp, string clusterId)
    {
        var settings = NotificationApi.Fast(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));
        settings["MAIL_TIMEOUT_MS"] = "120000";
        return settings;
    }

    /// <summary>The silo that holds the cluster's only outbox activation.</summary>
    private static async Task<TestHost> OutboxHolderAsync(TestHost front, params TestHost[] silos)
    {
        var management = front.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var outbox = Assert.Single(await management.GetDetailedGrainStatistics(), s => s.GrainType.Contains("NotifierGrain", StringComparison.Ordinal));
        return silos.Single(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(outbox.SiloAddress));
    }
}
