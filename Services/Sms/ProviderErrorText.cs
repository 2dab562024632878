using System.Text.RegularExpressions;

namespace WeDrawOS.Services.Sms;

/// <summary>
/// A provider's error text made fit for the logs and the message history, where it ends up as the outcome's error:
/// Aliyun's <c>SignatureDoesNotMatch</c> text carries the whole string to sign (the number, the template parameters,
/// so a verification code), and the invalid-number texts of Aliyun and Twilio repeat the number.
/// </summary>
internal static partial class ProviderErrorText
{
    /// <summary>Drops an echoed string to sign and masks every run of six or more digits (numbers, codes).</summary>
    public static string? Redact(string? text) =>
        text is null ? null : LongDigits().Replace(StringToSign().Replace(text, ""), "***");

    [GeneratedRegex(@"\s*(server )?string to sign.*", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex StringToSign();

    [GeneratedRegex(@"\+?\d{6,}")]
    private static partial Regex LongDigits();
}
