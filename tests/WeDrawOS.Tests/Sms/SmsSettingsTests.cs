using WeDrawOS.Configuration;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Sms;

/// <summary>A configured provider without its credentials stops the process, naming each missing variable, never a value.</summary>
public sealed class SmsSettingsTests
{
    [Fact]
    public void A_configured_provider_without_credentials_names_every_missing_variable()
    {
        var error = Assert.Throws<InvalidSettingsException>(() => WebFrontApp.Build(["--SMS_PROVIDERS=aliyun,tencent,twilio", "--TWILIO_AUTH_TOKEN=twilio-secret-marker"]));

        foreach (var variable in new[] { "ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME", "TENCENT_SECRET_ID", "TENCENT_SMS_SDK_APP_ID", "TWILIO_ACCOUNT_SID", "TWILIO_FROM" })
        {
            Assert.Contains(error.Problems, p => p.StartsWith(variable + ":", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(error.Problems, p => p.StartsWith("TWILIO_AUTH_TOKEN", StringComparison.Ordinal));
        Assert.DoesNotContain("twilio-secret-marker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unconfigured_providers_need_no_credentials_and_bad_values_are_named()
    {
        var error = Assert.Throws<InvalidSettingsException>(() => WebFrontApp.Build(["--SMS_PROVIDERS=mock", "--VERIFICATION_CODE_TTL_MINUTES=30", "--SMS_DEFAULT_REGION=XX"]));

        Assert.Contains(error.Problems, p => p.StartsWith("VERIFICATION_CODE_TTL_MINUTES:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("SMS_DEFAULT_REGION:", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Problems, p => p.StartsWith("TWILIO", StringComparison.Ordinal) || p.StartsWith("ALIYUN", StringComparison.Ordinal));
    }
}
