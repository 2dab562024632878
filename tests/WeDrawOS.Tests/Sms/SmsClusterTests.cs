using Orleans.Runtime;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

/// <summary>SMS outboxes in cluster mode on the shared Redis: retries outlive the silo that held them.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class SmsClusterTests(SharedRedis redis)
{
    [Fact]
    public async Task Stopping_the_silo_during_sms_retries_loses_nothing()
    {
        await using var tencent = new TencentStub();
        await tencent.StartAsync();
        var clusterId = "sms-" + Guid.NewGuid().ToString("N")[..8];
        var sms = new Dictionary<string, string> { ["SMS_PROVIDERS"] = "tencent", ["SMS_CIRCUIT_FAILURES"] = "1000" };
        Dictionary<string, string> Member() => NotificationApi.Fast(TestHost.ClusterSettings(redis, clusterId).With(tencent.Settings()).With(sms));
        await using var siloA = await TestHost.StartSiloAsync(Member());
        await using var siloB = await TestHost.StartSiloAsync(Member());
        await using var front = await NotificationApi.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId).With(tencent.Settings()).With(sms));
        var frontHealth = await front.Http.GetStringAsync("/health/ready");
        Assert.Contains("SMS is sent by the silos", frontHealth, StringComparison.Ordinal);
        Assert.Contains("tencent (closed)", await siloA.Operator.GetStringAsync("/health/ready"), StringComparison.Ordinal);
        tencent.Answer = StubAnswer.ServerError;

        var phones = Enumerable.Range(0, 6).Select(_ => TestPhones.Next()).ToList();
        var ids = new List<string>();
        foreach (var phone in phones)
        {
            ids.Add(await front.QueueAsync("/api/sms/verification-code", new { phone, code = "135246", expireMinutes = 5 }));
        }

        foreach (var id in ids)
        {
            await front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2);
        }

        var management = front.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var outboxes = (await management.GetDetailedGrainStatistics()).Where(s => s.GrainType.Contains("NotifierGrain", StringComparison.Ordinal)).ToList();
        var holder = outboxes.GroupBy(s => s.SiloAddress).MaxBy(g => g.Count())!.Key;
        var holderHost = new[] { siloA, siloB }.Single(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(holder));
        await holderHost.StopAsync();
        var failedSoFar = tencent.Accepted.Count;
        tencent.Answer = StubAnswer.Accept;

        foreach (var id in ids)
        {
            var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent", TimeSpan.FromSeconds(60));
            Assert.Equal("tencent", sent.GetProperty("provider").GetString());
        }

        // Every number got its code after the recovery (at least once: a send cut by the stop may be repeated).
        var delivered = tencent.Accepted.Skip(failedSoFar).Select(r => r.Phone).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(phones.Order(StringComparer.Ordinal), delivered);
    }
}
