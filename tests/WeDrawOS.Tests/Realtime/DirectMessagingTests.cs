using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Direct messages: every device of the recipient, the sender's other devices, and the inbox for the offline.</summary>
public sealed class DirectMessagingTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Direct_message_reaches_every_connection_of_the_recipient_and_the_senders_other_connections()
    {
        await using var bobPhone = await _front.ConnectAsync("bob");
        await using var bobLaptop = await _front.ConnectAsync("bob");
        await using var alicePhone = await _front.ConnectAsync("alice");
        await using var aliceLaptop = await _front.ConnectAsync("alice");

        await alicePhone.SendAsync(new { type = "send", id = "dm1", to = "bob", data = new { text = "hello" } });
        var ack = await alicePhone.NextAsync("ack");
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());

        foreach (var socket in new[] { bobPhone, bobLaptop, aliceLaptop })
        {
            var message = await socket.NextAsync("message");
            Assert.Equal("alice", message.GetProperty("from").GetString());
            Assert.Equal("dm1", message.GetProperty("id").GetString());
            Assert.Equal(1, message.GetProperty("seq").GetInt64());
            Assert.False(message.TryGetProperty("room", out _));
            Assert.Equal("hello", message.GetProperty("data").GetProperty("text").GetString());
        }

        await alicePhone.SendAsync(new { type = "ping" });
        await alicePhone.NextAsync("pong");
        Assert.Empty(alicePhone.Unread("message"));
    }

    [Fact]
    public async Task Offline_user_finds_direct_messages_in_its_inbox()
    {
        await using var alice = await _front.ConnectAsync("alice");
        for (var n = 1; n <= 3; n++)
        {
            await alice.SendAsync(new { type = "send", id = "off" + n, to = "carol", data = n });
            Assert.Equal(n, (await alice.NextAsync("ack")).GetProperty("seq").GetInt64());
        }

        await alice.SendAsync(new { type = "send", id = "off1", to = "carol", data = 1 });
        Assert.True((await alice.NextAsync("ack")).GetProperty("duplicate").GetBoolean());

        var (carol, welcome) = await WsClient.ConnectWelcomedAsync(_front.BaseAddress, _front.Token("carol"));
        await using var _ = carol;
        Assert.Equal(3, welcome.GetProperty("inboxSeq").GetInt64());
        await carol.SendAsync(new { type = "inbox", since = 1 });
        var inbox = await carol.NextAsync("inbox");

        Assert.Equal([2L, 3], inbox.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal("alice", inbox.GetProperty("messages")[0].GetProperty("from").GetString());
        Assert.Equal(2, inbox.GetProperty("messages")[0].GetProperty("data").GetInt32());
    }
}
