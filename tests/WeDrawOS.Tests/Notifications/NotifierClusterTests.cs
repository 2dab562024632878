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
        Dictionary<string, string> Member()
        {
            var settings = NotificationApi.Fast(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));
            settings["MAIL_TIMEOUT_MS"] = "120000";
            return settings;
        }

        await using var siloA = await TestHost.StartSiloAsync(Member());
        await using var siloB = await TestHost.StartSiloAsync(Member());
        await using var front = await NotificationApi.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId).With(smtp.MailSettings()));

        var id = await front.QueueAsync("/api/email", new { to = "midsend@example.com", subject = "mid-send", text = "t" });
        await Eventually.TrueAsync(() => Task.FromResult(smtp.HeldRecipients().Count == 1), what: "the message reaching DATA");
        Assert.Equal("sending", (await front.GetNotificationAsync(id)).Status());

        // Stop the silo whose outbox is sending: its shutdown interrupts the send, which the outbox records as a
        // transient failure before it deactivates; its reminder then wakes the outbox on the other silo.
        var management = front.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var outbox = Assert.Single(await management.GetDetailedGrainStatistics(), s => s.GrainType.Contains("NotifierGrain", StringComparison.Ordinal));
        var holderHost = new[] { siloA, siloB }.Single(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(outbox.SiloAddress));
        await holderHost.StopAsync();
        smtp.ReleaseHeld();

        var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent", TimeSpan.FromSeconds(60));
        Assert.Equal(2, sent.Attempts());
        Assert.Contains("mid-send", smtp.Messages().Select(m => m.Subject));
    }
}
