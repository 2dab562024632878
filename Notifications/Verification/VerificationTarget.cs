using System.Diagnostics.CodeAnalysis;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Notifications.Sms;

namespace WeDrawOS.Notifications.Verification;

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
                // The e-mail channel's own normalisation, so a code goes to the same outbox as any other e-mail.
                if (!EmailAddresses.TryNormalize(target, out var address, out error))
                {
                    return false;
                }

                key = new NotifierKey(NotificationChannel.Email, address);
                return true;
            default:
                error = "channel must be 'sms' or 'email'";
                return false;
        }
    }
}
