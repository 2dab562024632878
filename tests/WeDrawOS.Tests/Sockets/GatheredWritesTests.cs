using System.Net.WebSockets;
using System.Text;
using WeDrawOS.Front.Auth;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// A socket's drain writes the frames that wait behind the one it writes in one write to the wire (a busy room's
/// burst costs one send system call, not one per frame), and never reorders, loses or splits one.
/// </summary>
public sealed class GatheredWritesTests
{
    [Fact]
    public async Task Frames_that_queue_while_a_write_is_under_way_follow_it_together_in_order()
    {
        var wire = new RecordingStream();
        var stream = new KeepAliveStream(wire, TimeProvider.System);
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var identity = new UserIdentity("alice", null, UserIdentity.Customer, DateTimeOffset.UtcNow.AddHours(1));
        var connection = new SocketConnection("c-1", socket, identity, queueLimit: 100, queueMaxBytes: 1 << 20, stream, TestRealtimeMetrics.For(NoClusterSources.Registry()));

        // The client reads slowly: the first write stays open while 30 frames queue behind it.
        wire.HoldNextWrite();
        connection.Welcome(Frame(0));
        await wire.WrittenAsync(writes => writes.Count == 1);
        for (var n = 1; n <= 30; n++)
        {
            connection.Send(Frame(n));
        }

        wire.ReleaseHeldWrite();
        await wire.WrittenAsync(writes => Payloads(writes).Count == 31).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 31).Select(n => $"{n}"), Payloads(wire.Writes));
        Assert.Equal(2, wire.Writes.Count);
    }

    private static byte[] Frame(int n) => Encoding.UTF8.GetBytes($"{n}");

    private static List<string> Payloads(IReadOnlyList<byte[]> writes) =>
        writes.SelectMany(WebSocketFrames.Split).Select(f => Encoding.UTF8.GetString(f.Payload)).ToList();
}
