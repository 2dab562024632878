using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;
using WeDrawOS.Services.Sms.Tencent;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

public sealed class TencentProviderTests : SmsProviderContractTests<TencentStub>
{
    protected override string NumberOnTheWire => Phone;

    protected override ISmsProvider CreateProvider(HttpClient http, bool wrongSecret = false) =>
        new TencentSmsProvider(http, Options.Create(Stub.Options(wrongSecret ? "wrong-secret" : TencentStub.SecretKey)), TimeProvider.System);

    [Fact]
    public async Task The_verification_template_gets_the_code_and_the_minutes_in_order()
    {
        await Provider().SendAsync(VerificationCode("975310"), CancellationToken.None);

        var received = Assert.Single(Stub.Accepted);
        Assert.Equal(TencentStub.VerificationTemplate, received.Template);
        Assert.Equal(["975310", "5"], received.TemplateParams);
    }

    [Fact]
    public async Task Free_text_without_a_template_is_refused_as_permanent_without_calling_tencent()
    {
        var outcome = await Provider().SendAsync(Custom("any text"), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.Contains("TENCENT_SMS_TEMPLATE_CUSTOM", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(Stub.Accepted);
    }

    [Fact]
    public async Task A_response_error_is_reported_with_its_code()
    {
        Stub.Answer = StubAnswer.BadTemplate;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Contains("FailedOperation.TemplateIncorrectOrUnapproved", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_per_number_status_decides_the_outcome()
    {
        Stub.Answer = StubAnswer.InvalidNumber;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.Contains("InvalidParameterValue.IncorrectPhoneNumber", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Free_text_is_not_supported_without_a_custom_template()
    {
        Assert.False(Provider().Supports(NotificationKinds.Custom, "en"));
        Assert.True(Provider().Supports(NotificationKinds.VerificationCode, "en"));
    }
}
