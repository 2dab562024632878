using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;
using WeDrawOS.Services.Sms.Twilio;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

public sealed class TwilioProviderTests : SmsProviderContractTests<TwilioStub>
{
    protected override string NumberOnTheWire => Phone;

    protected override ISmsProvider CreateProvider(HttpClient http, bool wrongSecret = false) =>
        new TwilioSmsProvider(http, Options.Create(Stub.Options(wrongSecret ? "wrong-token" : TwilioStub.AuthToken)), TimeProvider.System);

    [Fact]
    public async Task Free_text_is_sent_as_the_body()
    {
        var outcome = await Provider().SendAsync(Custom("您的工单已处理"), CancellationToken.None);

        Assert.Equal(SendResult.Sent, outcome.Kind);
        Assert.Equal("您的工单已处理", Assert.Single(Stub.Accepted).Text);
    }

    [Fact]
    public async Task Throttling_uses_the_retry_after_twilio_sent()
    {
        Stub.Answer = StubAnswer.Throttle;

        var outcome = await Provider().SendAsync(Custom("hello"), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
        Assert.Contains("20429", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_verification_code_text_is_in_english()
    {
        await Provider().SendAsync(VerificationCode("135790", "en"), CancellationToken.None);

        Assert.StartsWith("Your verification code is 135790.", Assert.Single(Stub.Accepted).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kind_is_supported_because_twilio_sends_free_text()
    {
        Assert.True(Provider().Supports(NotificationKinds.Custom, "zh-CN"));
    }

    [Fact]
    public async Task The_sender_is_the_from_number_or_else_the_messaging_service()
    {
        using var http = new HttpClient();
        var viaService = Stub.Options();
        viaService.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef";

        await Provider().SendAsync(Custom("a"), CancellationToken.None);
        await new TwilioSmsProvider(http, Options.Create(viaService), TimeProvider.System).SendAsync(Custom("b"), CancellationToken.None);

        Assert.Equal(["from:" + TwilioStub.From, "service:MG0123456789abcdef0123456789abcdef"], Stub.Accepted.Select(r => r.Sender));
    }
}
