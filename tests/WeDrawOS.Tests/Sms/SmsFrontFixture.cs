using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

/// <summary>
/// An embedded front whose SMS goes to the Aliyun stub first and the Twilio stub second, with fast outbox
/// retries. Circuits are set not to open, so one test's failing provider does not leak into the next test.
/// </summary>
public sealed class SmsFrontFixture : IAsyncLifetime
{
    public TwilioStub Twilio { get; } = new();

    public AliyunStub Aliyun { get; } = new();

    public TestHost Front { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Twilio.StartAsync();
        await Aliyun.StartAsync();
        Front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings()
            .With(Twilio.Settings())
            .With(Aliyun.Settings())
            .With(new Dictionary<string, string> { ["SMS_PROVIDERS"] = "aliyun,twilio", ["SMS_CIRCUIT_FAILURES"] = "1000" }));
    }

    /// <summary>Both stubs accept again (tests that make a provider fail call this first).</summary>
    public void Reset()
    {
        Twilio.Answer = StubAnswer.Accept;
        Twilio.RetryAfterSeconds = 7;
        Aliyun.Answer = StubAnswer.Accept;
    }

    public async Task DisposeAsync()
    {
        await Front.DisposeAsync();
        await Twilio.DisposeAsync();
        await Aliyun.DisposeAsync();
    }
}
