using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Services.Sms.Twilio;

/// <summary>Twilio Messages API credentials and sender. Free text is allowed, so every kind can go through Twilio.</summary>
public sealed class TwilioOptions : ISettings
{
    [ConfigurationKeyName("TWILIO_ACCOUNT_SID")]
    public string? AccountSid { get; set; }

    [ConfigurationKeyName("TWILIO_AUTH_TOKEN")]
    public string? AuthToken { get; set; }

    /// <summary>Sender number in E.164; used when no messaging service is set.</summary>
    [ConfigurationKeyName("TWILIO_FROM")]
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG...</c>) that picks the sender; takes precedence over <see cref="From"/>.</summary>
    [ConfigurationKeyName("TWILIO_MESSAGING_SERVICE_SID")]
    public string? MessagingServiceSid { get; set; }

    [ConfigurationKeyName("TWILIO_BASE_URL")]
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    public Uri BaseUri => SmsSettingsValidation.BaseUri(BaseUrl);

    public void Validate(SettingsErrors errors, IHostEnvironment environment) =>
        SmsSettingsValidation.AbsoluteHttpUrl(errors, "TWILIO_BASE_URL", BaseUrl);

    internal void RequireCredentials(SettingsErrors errors)
    {
        SmsSettingsValidation.Required(errors, "TWILIO_ACCOUNT_SID", AccountSid, "twilio");
        SmsSettingsValidation.Required(errors, "TWILIO_AUTH_TOKEN", AuthToken, "twilio");
        if (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(MessagingServiceSid))
        {
            errors.Add("TWILIO_FROM", "or TWILIO_MESSAGING_SERVICE_SID is required when SMS_PROVIDERS includes twilio");
        }
    }
}
