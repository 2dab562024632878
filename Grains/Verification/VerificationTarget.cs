using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Grains.Sms;

namespace WeDrawOS.Grains.Verification;

/// <summary>Turns a channel and a target as callers write them into the recipient's notifier key (E.164 phone, lower-case address).</summary>
public static class VerificationTarget
{
    public static bool TryParse(string? channel, string? target, string defaultRegion, [NotNullWhen(true)] out NotifierKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        switch (channel?.Trim().ToLowerInvariant())
        {
            case "sms":
                if (!PhoneNumberNormalizer.TryNormalize(target, defaultRegion, out var phone, out error))
                {
                    return false;
                }

                key = new NotifierKey(NotificationChannel.Sms, phone);
                return true;
            case "email":
                var address = target?.Trim();
                if (string.IsNullOrEmpty(address) || address.Length > 254 || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address || parsed.DisplayName.Length > 0)
                {
                    error = "the e-mail address is not valid";
                    return false;
                }

                key = new NotifierKey(NotificationChannel.Email, address.ToLowerInvariant());
                error = null;
                return true;
            default:
                error = "channel must be 'sms' or 'email'";
                return false;
        }
    }
}
