using WeDrawOS.Configuration;

namespace WeDrawOS.Grains.Sms;

/// <summary>Small checks shared by the provider options classes.</summary>
internal static class SmsSettingsValidation
{
    public static void Required(SettingsErrors errors, string variable, string? value, string provider)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(variable, $"is required when SMS_PROVIDERS includes {provider}");
        }
    }

    public static void AbsoluteHttpUrl(SettingsErrors errors, string variable, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(variable, $"'{value}' is not an absolute http(s) URL");
        }
    }

    /// <summary>The URL with a trailing slash, so relative paths append to it instead of replacing its last segment.</summary>
    public static Uri BaseUri(string value) => new(value.EndsWith('/') ? value : value + "/", UriKind.Absolute);
}
