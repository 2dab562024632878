using System.Net;
using System.Text.RegularExpressions;
using Orleans.Runtime;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Sms;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Verification;

/// <summary>Codes in cluster mode: their state lives in Redis and outlives the silo that issued them.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed partial class VerificationClusterTests(SharedRedis redis)
{
    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex SixDigits();

    [Fact]
    public async Task Codes_attempts_and_limits_survive_the_silo_that_held_them()
    {
        await using var twilio = new TwilioStub();
        await twilio.StartAsync();
        var clusterId = "verify-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string> { ["SMS_PROVIDERS"] = "twilio", ["VERIFICATION_RATE_PER_MINUTE"] = "2" };
        Dictionary<string, string> Member() => NotificationApi.Fast(TestHost.ClusterSettings(redis, clusterId).With(twilio.Settings()).With(settings));
        await using var siloA = await TestHost.StartSiloAsync(Member());
        await using var siloB = await TestHost.StartSiloAsync(Member());
        await using var front = await NotificationApi.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId).With(twilio.Settings()).With(settings));
        var phone = TestPhones.Next();

        var login = await IssueAsync(front, twilio, phone, "login", 1);
        var reset = await IssueAsync(front, twilio, phone, "reset", 2);
        var wrong = reset == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("invalid", (await VerifyAsync(front, phone, "reset", wrong)).Body.GetProperty("code").GetString());
        }

        // Stop the silo that holds the codes: the next call activates the grain on the other one, from Redis.
        var management = front.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var holder = (await management.GetDetailedGrainStatistics()).Single(s => s.GrainType.Contains("VerificationGrain", StringComparison.Ordinal)).SiloAddress;
        await new[] { siloA, siloB }.Single(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.Equals(holder)).StopAsync();

        var (status, body) = await VerifyAsync(front, phone, "login", login);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal("invalid", (await VerifyAsync(front, phone, "login", login)).Body.GetProperty("code").GetString());
        Assert.Equal("too_many_attempts", (await VerifyAsync(front, phone, "reset", reset)).Body.GetProperty("code").GetString());
        var (third, _) = await front.PostAsync("/api/verification/issue", new { channel = "sms", target = phone, purpose = "other" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third);
    }

    private static async Task<string> IssueAsync(TestHost front, TwilioStub twilio, string phone, string purpose, int expectedMessages)
    {
        var (issued, _) = await front.PostAsync("/api/verification/issue", new { channel = "sms", target = phone, purpose });
        Assert.Equal(HttpStatusCode.Accepted, issued);
        await twilio.WaitForCountAsync(expectedMessages, TimeSpan.FromSeconds(30));
        return SixDigits().Match(twilio.Accepted.Last().Text!).Value;
    }

    private static Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> VerifyAsync(TestHost front, string phone, string purpose, string code) =>
        front.PostAsync("/api/verification/verify", new { channel = "sms", target = phone, purpose, code });
}
