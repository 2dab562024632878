using System.Net.WebSockets;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Frames an ordinary signed-in user can send to make a front misbehave: each gets an <c>error</c> frame with a code
/// the contract names, the connection stays open, and what was accepted before is answered.
/// </summary>
public sealed class SocketInputAttackTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Strings_that_are_not_valid_UTF_16_get_bad_request_and_the_connection_stays_open()
    {
        await using var mallory = await _front.ConnectAsync("mallory");
        await mallory.SendAsync(new { type = "send", id = "before", room = "utf16-room", data = 1 });

        // A lone surrogate is valid JSON (an escape) but no .NET string can be read from it. In `id` it closed the
        // socket with 1011 (and was logged as a cluster failure); elsewhere it was answered `internal`.
        await mallory.SendTextAsync("""{"type":"ping","id":"\ud800"}""");
        await mallory.NextAsync("pong");
        foreach (var frame in new[]
        {
            """{"type":"send","id":"\udc00","room":"utf16-room","data":2}""",
            """{"type":"join","room":"a\ud800b"}""",
            """{"type":"refresh","token":"\ud800"}""",
            """{"type":"\ud800"}""",
        })
        {
            await mallory.SendTextAsync(frame);
            var error = await mallory.NextAsync("error");
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            Assert.False(error.TryGetProperty("id", out _));
        }

        var acked = await mallory.NextAsync("ack");
        Assert.Equal(("before", 1L), (acked.GetProperty("id").GetString(), acked.GetProperty("seq").GetInt64()));
        await mallory.SendAsync(new { type = "ping" });
        await mallory.NextAsync("pong");
        Assert.Equal(WebSocketState.Open, mallory.Socket.State);
        Assert.Empty(mallory.Unread("ack"));
    }
}
