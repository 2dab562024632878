using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Verification;

/// <summary>An embedded front sending SMS through the Twilio stub (so tests read the code a user would receive) and e-mail to a pickup folder.</summary>
public sealed class VerificationFrontFixture : IAsyncLifetime
{
    public TwilioStub Twilio { get; } = new();

    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), "wedrawos-verify-" + Guid.NewGuid().ToString("N")[..8]);

    public TestHost Front { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Twilio.StartAsync();
        Front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings()
            .With(Twilio.Settings())
            .With(new Dictionary<string, string> { ["SMS_PROVIDERS"] = "twilio", ["MAIL_PICKUP_DIR"] = PickupDirectory }));
    }

    public async Task DisposeAsync()
    {
        await Front.DisposeAsync();
        await Twilio.DisposeAsync();
        if (Directory.Exists(PickupDirectory))
        {
            Directory.Delete(PickupDirectory, recursive: true);
        }
    }
}
