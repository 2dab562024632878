using System.Diagnostics.CodeAnalysis;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Notifications.Sms;

/// <summary>
/// The texts sent by free-text providers (Twilio, mock), Chinese by default and English for <c>en</c>. Template
/// providers (Aliyun, Tencent) send their approved templates instead, filled from the same fields.
/// </summary>
public static class SmsTemplates
{
    /// <summary>Longest caller text accepted (a concatenated SMS of 10 parts in UCS-2 is 670 characters).</summary>
    public const int MaxContentLength = 670;

    public static bool IsEnglish(string? language) => language?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Renders a kind, or explains which field is missing or which kind is unknown.</summary>
    public static bool TryRender(string kind, IReadOnlyDictionary<string, string> fields, string? language, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error)
    {
        text = null;
        error = null;
        var english = IsEnglish(language);
        switch (kind)
        {
            case NotificationKinds.VerificationCode:
                if (!Require(fields, out error, "code", "expireMinutes"))
                {
                    return false;
                }

                text = english
                    ? $"Your verification code is {fields["code"]}. It expires in {fields["expireMinutes"]} minutes. Do not share it with anyone."
                    : $"您的验证码是{fields["code"]}，{fields["expireMinutes"]}分钟内有效。请勿泄露给他人。";
                return true;
            case NotificationKinds.Notification:
                if (!Require(fields, out error, "title", "content"))
                {
                    return false;
                }

                text = english ? $"{fields["title"]}: {fields["content"]}" : $"【{fields["title"]}】{fields["content"]}";
                return true;
            case NotificationKinds.Custom:
                if (!Require(fields, out error, "content"))
                {
                    return false;
                }

                text = fields["content"];
                return true;
            default:
                error = $"SMS has no template for the kind '{kind}'";
                return false;
        }
    }

    private static bool Require(IReadOnlyDictionary<string, string> fields, [NotNullWhen(false)] out string? error, params string[] names)
    {
        foreach (var name in names)
        {
            if (!fields.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
            {
                error = $"the field '{name}' is required";
                return false;
            }

            if (value.Length > MaxContentLength)
            {
                error = $"the field '{name}' is longer than {MaxContentLength} characters";
                return false;
            }
        }

        error = null;
        return true;
    }
}
