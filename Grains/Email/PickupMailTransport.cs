using Microsoft.Extensions.Options;
using MimeKit;
using WeDrawOS.Grains.Notifications;

namespace WeDrawOS.Grains.Email;

/// <summary>
/// Pickup mode: each message becomes an <c>.eml</c> file in <c>MAIL_PICKUP_DIR</c>, written under a temporary
/// name and then renamed, so a reader of the folder never sees half a message.
/// </summary>
public sealed class PickupMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    public string Name => "pickup";

    public string Directory => options.Value.PickupDirectory;

    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var name = SafeName(message.MessageId);
            var final = Path.Combine(Directory, name + ".eml");
            var temporary = Path.Combine(Directory, "." + name + ".tmp");
            await message.WriteToAsync(temporary, cancellationToken);
            File.Move(temporary, final, overwrite: true);
            return SendOutcome.Sent(Name, message.MessageId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SendOutcome.Transient(Name, "could not write to the pickup folder: " + e.Message);
        }
    }

    private static string SafeName(string? messageId)
    {
        var id = string.IsNullOrEmpty(messageId) ? Guid.NewGuid().ToString("N") : messageId;
        return string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
    }
}
