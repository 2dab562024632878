using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Services.Sms;

/// <summary>
/// Picks a template-only provider's approved template for a notification kind and language: English uses its own
/// template when one is configured and falls back to the default (Chinese) one; free text needs the custom template.
/// </summary>
internal static class SmsTemplateChoice
{
    public static string? For(
        string kind,
        string language,
        (string? Default, string? English) verificationCode,
        (string? Default, string? English) notification,
        string? custom)
    {
        var english = language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        return kind switch
        {
            NotificationKinds.VerificationCode => english ? verificationCode.English ?? verificationCode.Default : verificationCode.Default,
            NotificationKinds.Notification => english ? notification.English ?? notification.Default : notification.Default,
            NotificationKinds.Custom => custom,
            _ => null,
        };
    }
}
