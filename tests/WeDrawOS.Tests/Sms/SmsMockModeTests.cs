using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Sms;

/// <summary>The embedded default: SMS recorded as sent by <c>mock</c>, nothing on the network.</summary>
public sealed class SmsMockModeTests
{
    [Fact]
    public async Task In_mock_mode_a_message_is_recorded_as_sent_by_mock()
    {
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings());
        var phone = TestPhones.Next();

        var id = await front.QueueAsync("/api/sms", new { phone, content = "hello" });

        var sent = await front.WaitForNotificationAsync(id, n => n.Status() == "sent");
        Assert.Equal("mock", sent.GetProperty("provider").GetString());
        var history = JsonDocument.Parse(await front.Http.GetStringAsync($"/api/sms/history?phone={Uri.EscapeDataString(phone)}")).RootElement;
        Assert.Equal("mock-" + id, Assert.Single(history.GetProperty("items").EnumerateArray()).GetProperty("providerMessageId").GetString());
    }
}
