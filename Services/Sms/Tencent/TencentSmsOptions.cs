using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Services.Sms.Tencent;

/// <summary>
/// Tencent Cloud SMS (API 3.0) credentials, application, sign name and template ids. Like Aliyun it sends only
/// approved templates; a kind without a template id here cannot go through Tencent.
/// </summary>
public sealed class TencentSmsOptions : ISettings
{
    [ConfigurationKeyName("TENCENT_SECRET_ID")]
    public string? SecretId { get; set; }

    [ConfigurationKeyName("TENCENT_SECRET_KEY")]
    public string? SecretKey { get; set; }

    [ConfigurationKeyName("TENCENT_SMS_SDK_APP_ID")]
    public string? SdkAppId { get; set; }

    [ConfigurationKeyName("TENCENT_SMS_SIGN_NAME")]
    public string? SignName { get; set; }

    /// <summary>Template with two parameters: {1} the code, {2} the minutes it stays valid.</summary>
    [ConfigurationKeyName("TENCENT_SMS_TEMPLATE_VERIFICATION_CODE")]
    public string? VerificationCodeTemplate { get; set; }

    [ConfigurationKeyName("TENCENT_SMS_TEMPLATE_VERIFICATION_CODE_EN")]
    public string? VerificationCodeTemplateEn { get; set; }

    /// <summary>Template with two parameters: {1} the title, {2} the content.</summary>
    [ConfigurationKeyName("TENCENT_SMS_TEMPLATE_NOTIFICATION")]
    public string? NotificationTemplate { get; set; }

    [ConfigurationKeyName("TENCENT_SMS_TEMPLATE_NOTIFICATION_EN")]
    public string? NotificationTemplateEn { get; set; }

    /// <summary>Template with one parameter, the caller's text; without it free text is refused.</summary>
    [ConfigurationKeyName("TENCENT_SMS_TEMPLATE_CUSTOM")]
    public string? CustomTemplate { get; set; }

    [ConfigurationKeyName("TENCENT_SMS_REGION")]
    public string Region { get; set; } = "ap-guangzhou";

    [ConfigurationKeyName("TENCENT_SMS_ENDPOINT")]
    public string Endpoint { get; set; } = "https://sms.tencentcloudapi.com";

    public Uri EndpointUri => SmsSettingsValidation.BaseUri(Endpoint);

    /// <summary>The template id for a kind and language (English falls back to the default template), or null.</summary>
    public string? TemplateFor(string kind, string language) => SmsTemplateChoice.For(
        kind,
        language,
        (VerificationCodeTemplate, VerificationCodeTemplateEn),
        (NotificationTemplate, NotificationTemplateEn),
        CustomTemplate);

    public void Validate(SettingsErrors errors, IHostEnvironment environment) =>
        SmsSettingsValidation.AbsoluteHttpUrl(errors, "TENCENT_SMS_ENDPOINT", Endpoint);

    internal void RequireCredentials(SettingsErrors errors)
    {
        SmsSettingsValidation.Required(errors, "TENCENT_SECRET_ID", SecretId, "tencent");
        SmsSettingsValidation.Required(errors, "TENCENT_SECRET_KEY", SecretKey, "tencent");
        SmsSettingsValidation.Required(errors, "TENCENT_SMS_SDK_APP_ID", SdkAppId, "tencent");
        SmsSettingsValidation.Required(errors, "TENCENT_SMS_SIGN_NAME", SignName, "tencent");
        SmsSettingsValidation.Required(errors, "TENCENT_SMS_TEMPLATE_VERIFICATION_CODE", VerificationCodeTemplate, "tencent");
    }
}
