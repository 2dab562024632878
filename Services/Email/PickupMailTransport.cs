using Microsoft.Extensions.Options;
using MimeKit;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Email;

/// <summary>
/// Pickup mode: each message becomes an <c>.eml</c> file in <c>MAIL_PICKUP_DIR</c>, written under a temporary
/// name and then renamed, so a reader of the folder never sees half a message. The folder is the owner's only
/// (0700) and so is every file (0600): they hold verification codes and reset tokens.
/// </summary>
public sealed class PickupMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    private const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Name => "pickup";

    public string Directory => options.Value.PickupDirectory;

    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            PrepareFolder(Directory);
            var name = SafeName(message.MessageId);
            var final = Path.Combine(Directory, name + ".eml");
            var temporary = Path.Combine(Directory, "." + name + ".tmp");
            await using (var file = OpenPrivate(temporary))
            {
                await message.WriteToAsync(file, cancellationToken);
            }

            File.Move(temporary, final, overwrite: true);
            return SendOutcome.Sent(Name, message.MessageId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SendOutcome.Transient(Name, "could not write to the pickup folder: " + e.Message);
        }
    }

    /// <summary>Creates the folder for its owner only, and takes group and other access away from one that exists.</summary>
    public static void PrepareFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }

        System.IO.Directory.CreateDirectory(path, PrivateFolderMode);
        if (File.GetUnixFileMode(path) != PrivateFolderMode)
        {
            File.SetUnixFileMode(path, PrivateFolderMode);
        }
    }

    private static FileStream OpenPrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        return new FileStream(path, options);
    }

    private static string SafeName(string? messageId)
    {
        var id = string.IsNullOrEmpty(messageId) ? Guid.NewGuid().ToString("N") : messageId;
        return string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
    }
}
