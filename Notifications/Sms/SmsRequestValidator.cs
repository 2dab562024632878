using System.Diagnostics.CodeAnalysis;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Notifications.Sms;

/// <summary>
/// The checks made before an SMS is queued, both by <see cref="SmsService"/> (so callers hear at once) and by the
/// outbox through <c>SmsFailoverSender</c> (so nothing unsendable is ever stored).
/// </summary>
public static class SmsRequestValidator
{
    /// <summary>True when valid (the E.164 number in <paramref name="e164"/>), otherwise false and what is wrong.</summary>
    public static bool TryValidate(string? phone, NotificationRequest request, SmsOptions options, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? error)
    {
        error = Problem(phone, request, options, out e164);
        return error is null && e164 is not null;
    }

    private static string? Problem(string? phone, NotificationRequest request, SmsOptions options, out string? e164)
    {
        if (!PhoneNumberNormalizer.TryNormalize(phone, options.DefaultRegion, out e164, out var phoneError))
        {
            return phoneError;
        }

        if (request.Language is { } language && language.Length > 0 && language != "zh-CN" && !SmsTemplates.IsEnglish(language) && !language.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
        {
            return "language must be zh-CN or en";
        }

        if (request.Provider is { } provider && !options.ProviderOrder.Contains(provider.ToLowerInvariant()))
        {
            return $"provider '{provider}' is not configured; configured: {string.Join(", ", options.ProviderOrder)}";
        }

        return SmsTemplates.TryRender(request.Kind, request.Fields ?? new Dictionary<string, string>(), request.Language, out _, out var templateError)
            ? null
            : templateError;
    }
}
