using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace WeDrawOS.Notifications.Sms;

/// <summary>Validates phone numbers with libphonenumber and writes them in E.164, so one number has one outbox.</summary>
public static class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Parses <paramref name="input"/> (<c>+86 138 0013 8000</c>, <c>13800138000</c> with the default region CN, ...)
    /// into E.164 (<c>+8613800138000</c>), or says why it is not a valid number.
    /// </summary>
    public static bool TryNormalize(string? input, string defaultRegion, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? error)
    {
        e164 = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "the phone number is required";
            return false;
        }

        if (input.Length > 32)
        {
            error = "the phone number is too long";
            return false;
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(input, defaultRegion.ToUpperInvariant());
        }
        catch (NumberParseException)
        {
            error = "the phone number cannot be read";
            return false;
        }

        if (!Util.IsValidNumber(number))
        {
            error = "the phone number is not a valid number";
            return false;
        }

        // Numbers libphonenumber knows cannot take an SMS; a type it cannot tell apart (FIXED_LINE_OR_MOBILE in the
        // US, UNKNOWN) is let through for the provider to decide.
        if (Util.GetNumberType(number) is PhoneNumberType.FIXED_LINE or PhoneNumberType.TOLL_FREE or PhoneNumberType.PREMIUM_RATE
            or PhoneNumberType.SHARED_COST or PhoneNumberType.UAN or PhoneNumberType.VOICEMAIL)
        {
            error = "the phone number is not a mobile number, so it cannot receive SMS";
            return false;
        }

        e164 = Util.Format(number, PhoneNumberFormat.E164);
        error = null;
        return true;
    }

    /// <summary>A number for logs: country code and last four digits only.</summary>
    public static string Mask(string e164) =>
        e164.Length <= 7 ? "***" : string.Concat(e164.AsSpan(0, 3), new string('*', e164.Length - 7), e164.AsSpan(e164.Length - 4));
}
