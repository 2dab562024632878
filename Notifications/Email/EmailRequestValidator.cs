using System.Globalization;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Notifications.Email;

/// <summary>
/// Checks an e-mail notification before it is queued: the recipient, the kind, the language and the fields
/// the kind needs. Used by <see cref="EmailService"/> on the caller's side and again by the outbox.
/// </summary>
public static class EmailRequestValidator
{
    /// <summary>Largest subject in characters (a header line stays well under the 998-octet limit).</summary>
    public const int MaxSubjectLength = 400;

    /// <summary>Largest text or HTML body a caller may send, in characters.</summary>
    public const int MaxBodyLength = 1_000_000;

    private const int MaxValueLength = 2_000;

    /// <summary>Null when the request can be sent to <paramref name="to"/>, otherwise what is wrong.</summary>
    public static string? Validate(string to, NotificationRequest request)
    {
        if (!EmailAddresses.TryNormalize(to, out _, out var addressError))
        {
            return addressError;
        }

        if (TemplateLanguages.Normalize(request.Language) is null)
        {
            return $"language '{request.Language}' is not available; use zh-CN or en";
        }

        var fields = request.Fields ?? new Dictionary<string, string>();
        return request.Kind switch
        {
            NotificationKinds.Custom => ValidateCustom(fields),
            NotificationKinds.VerificationCode => Required(fields, EmailFields.Code) ?? Whole(fields, EmailFields.ExpireMinutes, 1, 1440),
            NotificationKinds.PasswordReset => Required(fields, EmailFields.ResetToken) ?? Whole(fields, EmailFields.ExpireHours, 1, 720),
            NotificationKinds.Activation => Required(fields, EmailFields.ActivationToken),
            NotificationKinds.Notification => Required(fields, EmailFields.Title) ?? Required(fields, EmailFields.Content, MaxBodyLength),
            _ => $"'{request.Kind}' is not an e-mail notification kind",
        };
    }

    private static string? ValidateCustom(IReadOnlyDictionary<string, string> fields)
    {
        fields.TryGetValue(EmailFields.Subject, out var subject);
        if (string.IsNullOrWhiteSpace(subject))
        {
            return "subject is required";
        }

        if (subject.Contains('\r', StringComparison.Ordinal) || subject.Contains('\n', StringComparison.Ordinal))
        {
            return "subject must not contain line breaks";
        }

        if (subject.Length > MaxSubjectLength)
        {
            return $"subject has at most {MaxSubjectLength} characters";
        }

        fields.TryGetValue(EmailFields.Text, out var text);
        fields.TryGetValue(EmailFields.Html, out var html);
        if (string.IsNullOrWhiteSpace(text) && string.IsNullOrWhiteSpace(html))
        {
            return "text or html is required";
        }

        return (text?.Length ?? 0) > MaxBodyLength || (html?.Length ?? 0) > MaxBodyLength
            ? $"text and html have at most {MaxBodyLength} characters each"
            : null;
    }

    private static string? Required(IReadOnlyDictionary<string, string> fields, string name, int maxLength = MaxValueLength)
    {
        if (!fields.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return $"{name} is required";
        }

        if (value.Length > maxLength)
        {
            return $"{name} has at most {maxLength} characters";
        }

        return maxLength == MaxValueLength && value.Any(char.IsControl) ? $"{name} must not contain line breaks or control characters" : null;
    }

    private static string? Whole(IReadOnlyDictionary<string, string> fields, string name, int min, int max) =>
        fields.TryGetValue(name, out var raw) && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? null
            : $"{name} must be a whole number from {min} to {max}";
}
