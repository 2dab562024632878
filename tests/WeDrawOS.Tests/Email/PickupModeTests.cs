using System.Text.Json;
using MimeKit;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Email;

/// <summary>The embedded default without an SMTP host: messages become .eml files in the pickup folder.</summary>
public sealed class PickupModeTests
{
    [Fact]
    public async Task Without_a_mail_host_messages_are_written_to_the_pickup_folder_and_marked_sent()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wedrawos-pickup-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var settings = TestHost.EmbeddedSettings();
            settings["MAIL_PICKUP_DIR"] = folder;
            await using var front = await NotificationApi.StartFrontAsync(settings);
            var ready = JsonDocument.Parse(await front.Http.GetStringAsync("/health/ready")).RootElement.GetProperty("services").GetProperty("smtp");
            Assert.Equal("healthy", ready.GetProperty("status").GetString());
            Assert.Contains(folder, ready.GetProperty("description").GetString(), StringComparison.Ordinal);

            var id = await front.QueueAsync("/api/email/activation", new { email = "xavier@example.com", activationToken = "abc" });

            var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
            Assert.Equal("pickup", sent.GetProperty("provider").GetString());
            var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            var message = await MimeMessage.LoadAsync(file);
            Assert.Equal("xavier@example.com", message.To.Mailboxes.Single().Address);
            Assert.Equal("激活您的 WeDrawOS 账户", message.Subject);
            Assert.IsType<MultipartAlternative>(message.Body);
            Assert.StartsWith(id, message.MessageId, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
