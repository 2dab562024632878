using WeDrawOS.Configuration;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Sms.Aliyun;
using WeDrawOS.Services.Sms.Tencent;
using WeDrawOS.Services.Sms.Twilio;

namespace WeDrawOS.Services.Sms;

/// <summary>Checks of the SMS settings that need the provider options: the credentials the configured providers require, and the small checks the provider options classes share.</summary>
public static class SmsSettingsValidation
{
    /// <summary>
    /// Cross-checks the providers named in <c>SMS_PROVIDERS</c> against their credentials: a configured provider
    /// without them stops the process naming the missing variable, rather than failing every send later. A list
    /// that is itself wrong is reported alone: it has to be fixed first, and the credentials needed depend on it.
    /// </summary>
    public static void ValidateProviders(SettingsErrors errors, SmsOptions sms, TwilioOptions twilio, AliyunSmsOptions aliyun, TencentSmsOptions tencent)
    {
        var order = sms.ProviderOrder;
        if (order.Count == 0 || order.Except(SmsOptions.KnownProviders).Any())
        {
            return;
        }

        if (order.Contains("twilio"))
        {
            twilio.RequireCredentials(errors);
        }

        if (order.Contains("aliyun"))
        {
            aliyun.RequireCredentials(errors);
        }

        if (order.Contains("tencent"))
        {
            tencent.RequireCredentials(errors);
        }
    }

    internal static void Required(SettingsErrors errors, string variable, string? value, string provider)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(variable, $"is required when SMS_PROVIDERS includes {provider}");
        }
    }

    internal static void AbsoluteHttpUrl(SettingsErrors errors, string variable, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(variable, $"'{value}' is not an absolute http(s) URL");
        }
    }

    /// <summary>The URL with a trailing slash, so relative paths append to it instead of replacing its last segment.</summary>
    internal static Uri BaseUri(string value) => new(value.EndsWith('/') ? value : value + "/", UriKind.Absolute);
}
