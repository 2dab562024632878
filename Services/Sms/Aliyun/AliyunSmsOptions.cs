using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Services.Sms.Aliyun;

/// <summary>
/// Aliyun Dysmsapi credentials, sign name and template codes. Aliyun sends only approved templates, so a kind
/// without a template code here cannot go through Aliyun (the failover skips it for that message).
/// </summary>
public sealed class AliyunSmsOptions : ISettings
{
    [ConfigurationKeyName("ALIYUN_ACCESS_KEY_ID")]
    public string? AccessKeyId { get; set; }

    [ConfigurationKeyName("ALIYUN_ACCESS_KEY_SECRET")]
    public string? AccessKeySecret { get; set; }

    [ConfigurationKeyName("ALIYUN_SMS_SIGN_NAME")]
    public string? SignName { get; set; }

    /// <summary>Template with the variable <c>${code}</c>.</summary>
    [ConfigurationKeyName("ALIYUN_SMS_TEMPLATE_VERIFICATION_CODE")]
    public string? VerificationCodeTemplate { get; set; }

    [ConfigurationKeyName("ALIYUN_SMS_TEMPLATE_VERIFICATION_CODE_EN")]
    public string? VerificationCodeTemplateEn { get; set; }

    /// <summary>Template with the variables <c>${title}</c> and <c>${content}</c>.</summary>
    [ConfigurationKeyName("ALIYUN_SMS_TEMPLATE_NOTIFICATION")]
    public string? NotificationTemplate { get; set; }

    [ConfigurationKeyName("ALIYUN_SMS_TEMPLATE_NOTIFICATION_EN")]
    public string? NotificationTemplateEn { get; set; }

    /// <summary>Template with the variable <c>${content}</c> for caller-supplied text; without it free text is refused.</summary>
    [ConfigurationKeyName("ALIYUN_SMS_TEMPLATE_CUSTOM")]
    public string? CustomTemplate { get; set; }

    [ConfigurationKeyName("ALIYUN_SMS_ENDPOINT")]
    public string Endpoint { get; set; } = "https://dysmsapi.aliyuncs.com";

    [ConfigurationKeyName("ALIYUN_SMS_REGION")]
    public string RegionId { get; set; } = "cn-hangzhou";

    public Uri EndpointUri => SmsSettingsValidation.BaseUri(Endpoint);

    /// <summary>The template code for a kind and language (English falls back to the default template), or null.</summary>
    public string? TemplateFor(string kind, string language) => SmsTemplateChoice.For(
        kind,
        language,
        (VerificationCodeTemplate, VerificationCodeTemplateEn),
        (NotificationTemplate, NotificationTemplateEn),
        CustomTemplate);

    public void Validate(SettingsErrors errors, IHostEnvironment environment) =>
        SmsSettingsValidation.AbsoluteHttpUrl(errors, "ALIYUN_SMS_ENDPOINT", Endpoint);

    internal void RequireCredentials(SettingsErrors errors)
    {
        SmsSettingsValidation.Required(errors, "ALIYUN_ACCESS_KEY_ID", AccessKeyId, "aliyun");
        SmsSettingsValidation.Required(errors, "ALIYUN_ACCESS_KEY_SECRET", AccessKeySecret, "aliyun");
        SmsSettingsValidation.Required(errors, "ALIYUN_SMS_SIGN_NAME", SignName, "aliyun");
        SmsSettingsValidation.Required(errors, "ALIYUN_SMS_TEMPLATE_VERIFICATION_CODE", VerificationCodeTemplate, "aliyun");
    }
}
