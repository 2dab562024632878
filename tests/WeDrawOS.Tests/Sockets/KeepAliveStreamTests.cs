using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// The stream under every socket of a front (<see cref="KeepAliveStream"/>), on a fake clock. It puts pings between
/// the WebSocket's frames and recognises the close frame by the first byte of a write, both of which hold only while
/// the runtime's WebSocket writes a whole frame with one <c>WriteAsync</c>: the first tests check exactly that.
/// </summary>
public sealed class KeepAliveStreamTests
{
    private static readonly WebSocketCreationOptions Server = new() { IsServer = true, KeepAliveInterval = TimeSpan.Zero };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(1 << 20)]
    public async Task WebSocket_writes_a_whole_frame_with_one_write(int payload)
    {
        var wire = new RecordingStream();
        using var socket = WebSocket.CreateFromStream(wire, Server);

        await socket.SendAsync(new byte[payload], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await socket.SendAsync(new byte[payload], WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        Assert.Equal(2, wire.Writes.Count);
        foreach (var (write, opcode) in wire.Writes.Zip([0x1, 0x2]))
        {
            var header = WebSocketFrames.Header(write);
            Assert.Equal((opcode, true, (long)payload), (header.Opcode, header.Fin, header.PayloadLength));
            Assert.Equal(header.HeaderLength + payload, write.Length);
        }
    }

    [Theory]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65536)]
    public async Task WebSocket_writes_each_fragment_and_the_close_frame_with_one_write(int payload)
    {
        var wire = new RecordingStream();
        using var socket = WebSocket.CreateFromStream(wire, Server);

        await socket.SendAsync(new byte[payload], WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await socket.SendAsync(new byte[payload], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await socket.CloseOutputAsync((WebSocketCloseStatus)4001, "token expired / 令牌已过期", CancellationToken.None);

        var writes = wire.Writes;
        Assert.Equal(3, writes.Count);
        Assert.Equal((0x1, false, (long)payload), Opcode(writes[0]));
        Assert.Equal((0x0, true, (long)payload), Opcode(writes[1]));
        Assert.Equal(0x8, WebSocketFrames.Header(writes[2]).Opcode);
        Assert.Equal(4001, WebSocketFrames.CloseStatus(writes[2]));
        Assert.All(writes, w => Assert.Equal(WebSocketFrames.Header(w).HeaderLength + WebSocketFrames.Header(w).PayloadLength, w.Length));
    }

    [Fact]
    public void Ping_goes_on_the_wire_at_once_when_no_write_is_in_progress()
    {
        var time = new FakeTimeProvider();
        var wire = new RecordingStream();
        using var stream = new KeepAliveStream(wire, time);
        time.Advance(TimeSpan.FromSeconds(7));

        Assert.True(stream.RequestPing());

        Assert.Equal([0x89, 0x00], Assert.Single(wire.Writes));
        Assert.Equal(time.GetTimestamp(), stream.LastPing);
    }

    [Fact]
    public async Task Ping_requested_while_a_frame_is_being_written_follows_that_frame_whole()
    {
        var time = new FakeTimeProvider();
        var wire = new RecordingStream();
        await using var stream = new KeepAliveStream(wire, time);
        using var socket = WebSocket.CreateFromStream(stream, Server);

        wire.HoldNextWrite();
        var sending = socket.SendAsync(new byte[300], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.True(stream.RequestPing());
        Assert.Single(wire.Writes);

        wire.ReleaseHeldWrite();
        await sending;

        var writes = wire.Writes;
        Assert.Equal(2, writes.Count);
        Assert.Equal(304, writes[0].Length);
        Assert.Equal([0x89, 0x00], writes[1]);

        // The WebSocket's next frame comes after the ping, not into it.
        await socket.SendAsync(new byte[10], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.Equal(12, wire.Writes[2].Length);
    }

    [Fact]
    public async Task No_ping_follows_the_close_frame_but_the_request_still_starts_the_wait_for_an_answer()
    {
        var time = new FakeTimeProvider();
        var wire = new RecordingStream();
        await using var stream = new KeepAliveStream(wire, time);
        using var socket = WebSocket.CreateFromStream(stream, Server);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(stream.RequestPing());

        Assert.Equal(0x8, WebSocketFrames.Header(Assert.Single(wire.Writes)).Opcode);
        Assert.Equal(time.GetTimestamp(), stream.LastPing);
    }

    [Fact]
    public async Task A_ping_whose_write_fails_leaves_the_stream_writable()
    {
        var time = new FakeTimeProvider();
        var wire = new RecordingStream();
        await using var stream = new KeepAliveStream(wire, time);
        using var socket = WebSocket.CreateFromStream(stream, Server);

        wire.FailNextWrite(new NotSupportedException("the transport refused the write"));
        Assert.True(stream.RequestPing());

        await socket.SendAsync(new byte[5], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(7, Assert.Single(wire.Writes).Length);
        Assert.True(stream.RequestPing());
        Assert.Equal([0x89, 0x00], wire.Writes[1]);
    }

    [Fact]
    public async Task Only_reads_that_bring_bytes_count_as_hearing_from_the_client()
    {
        var time = new FakeTimeProvider();
        var wire = new RecordingStream();
        await using var stream = new KeepAliveStream(wire, time);
        var upgraded = stream.LastRead;

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        Assert.Equal(upgraded, stream.LastRead);

        wire.QueueRead([0x8A, 0x80, 1, 2, 3, 4]);
        Assert.Equal(6, await stream.ReadAsync(new byte[16]));
        Assert.Equal(time.GetTimestamp(), stream.LastRead);
        Assert.NotEqual(upgraded, stream.LastRead);
    }

    private static (int Opcode, bool Fin, long PayloadLength) Opcode(byte[] frame)
    {
        var header = WebSocketFrames.Header(frame);
        return (header.Opcode, header.Fin, header.PayloadLength);
    }
}
