using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;
using WeDrawOS.Services.Sms.Aliyun;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

public sealed class AliyunProviderTests : SmsProviderContractTests<AliyunStub>
{
    protected override string NumberOnTheWire => "13800138000";

    protected override ISmsProvider CreateProvider(HttpClient http, bool wrongSecret = false) =>
        new AliyunSmsProvider(http, Options.Create(Stub.Options(wrongSecret ? "wrong-secret" : AliyunStub.AccessKeySecret)), TimeProvider.System);

    [Fact]
    public async Task The_verification_template_gets_the_code_as_its_variable()
    {
        await Provider().SendAsync(VerificationCode("864209"), CancellationToken.None);

        var received = Assert.Single(Stub.Accepted);
        Assert.Equal(AliyunStub.VerificationTemplate, received.Template);
        Assert.Equal(["code=864209"], received.TemplateParams);
    }

    [Fact]
    public async Task Free_text_without_a_template_is_refused_as_permanent_without_calling_aliyun()
    {
        var provider = Provider();

        var outcome = await provider.SendAsync(Custom("any text"), CancellationToken.None);

        Assert.False(provider.Supports(NotificationKinds.Custom, "zh-CN"));
        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.Contains("ALIYUN_SMS_TEMPLATE_CUSTOM", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(Stub.Accepted);
    }

    [Fact]
    public async Task Free_text_goes_through_the_custom_template_when_one_is_configured()
    {
        using var http = new HttpClient();
        var provider = new AliyunSmsProvider(http, Options.Create(Stub.Options(customTemplate: "SMS_000001")), TimeProvider.System);

        var outcome = await provider.SendAsync(Custom("工单已处理"), CancellationToken.None);

        Assert.Equal(SendResult.Sent, outcome.Kind);
        Assert.Equal(["content=工单已处理"], Assert.Single(Stub.Accepted).TemplateParams);
    }

    [Fact]
    public async Task Business_limit_control_counts_as_throttling()
    {
        Stub.Answer = StubAnswer.Throttle;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Contains("isv.BUSINESS_LIMIT_CONTROL", outcome.Error, StringComparison.Ordinal);
        Assert.NotNull(outcome.RetryAfter);
    }

    [Fact]
    public void International_numbers_keep_their_country_code_without_the_plus()
    {
        Assert.Equal("85291234567", AliyunSmsProvider.AliyunNumber("+85291234567"));
        Assert.Equal("13800138000", AliyunSmsProvider.AliyunNumber("+8613800138000"));
    }
}
