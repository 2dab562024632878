using System.Diagnostics.CodeAnalysis;

namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>
/// Key of a notifier grain: the channel and the normalised recipient, formatted as
/// <c>email:alice@example.com</c> or <c>sms:+8613800138000</c>. Normalise before building one
/// (lower-case e-mail, E.164 phone) so one recipient has exactly one outbox.
/// </summary>
[GenerateSerializer, Immutable, Alias("wedrawos.NotifierKey")]
public readonly record struct NotifierKey(
    [property: Id(0)] NotificationChannel Channel,
    [property: Id(1)] string Recipient)
{
    public override string ToString() => $"{Prefix(Channel)}:{Recipient}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out NotifierKey? key)
    {
        key = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon == text!.Length - 1)
        {
            return false;
        }

        NotificationChannel? channel = text[..colon] switch
        {
            "email" => NotificationChannel.Email,
            "sms" => NotificationChannel.Sms,
            _ => null,
        };
        if (channel is null)
        {
            return false;
        }

        key = new NotifierKey(channel.Value, text[(colon + 1)..]);
        return true;
    }

    private static string Prefix(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Email => "email",
        NotificationChannel.Sms => "sms",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
