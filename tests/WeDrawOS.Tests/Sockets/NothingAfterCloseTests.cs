using System.Net.WebSockets;
using System.Text;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// No frame may follow the close frame (RFC 6455 5.5.1). .NET's WebSocket checks its state when a send is asked for,
/// before it waits for its send lock: a send that queues behind a close frame is written after it. The stream under
/// the server's WebSockets (<see cref="KeepAliveStream"/>) holds the line.
/// </summary>
public sealed class NothingAfterCloseTests
{
    private const byte CloseFrame = 0x88;

    [Fact]
    public async Task A_send_queued_behind_the_close_frame_is_not_written_after_it()
    {
        var wire = new RecordingStream();
        using var socket = WebSocket.CreateFromStream(new KeepAliveStream(wire, TimeProvider.System), new WebSocketCreationOptions { IsServer = true });

        // A frame is being written (the client reads slowly); meanwhile a close and another frame are asked for, in that order.
        wire.HoldNextWrite();
        var first = socket.SendAsync(Encoding.UTF8.GetBytes("\"one\""), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Single(wire.Writes);
        var close = socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "bye", CancellationToken.None);
        var late = socket.SendAsync(Encoding.UTF8.GetBytes("\"two\""), WebSocketMessageType.Text, true, CancellationToken.None);
        wire.ReleaseHeldWrite();
        await first;
        await close;
        await late.ContinueWith(_ => { }, TaskScheduler.Default);

        var writes = wire.Writes.ToList();
        var closeAt = writes.FindIndex(w => w[0] == CloseFrame);
        Assert.True(closeAt >= 0, "the close frame was written");
        Assert.Equal(writes.Count - 1, closeAt);
    }
}
