using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// The front-wide keep-alive (<see cref="KeepAliveSweeper"/>) on a fake clock, over real loopback sockets: who gets a
/// ping, who is dropped, and that a client always has a whole interval to answer a ping.
/// </summary>
public sealed class KeepAliveSweeperTests : IAsyncLifetime
{
    // Sweeps every quarter interval: 250 ms.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = Interval / 4;

    private readonly FakeTimeProvider _time = new();
    private readonly ConnectionRegistry _registry = NoClusterSources.Registry();
    private readonly FakeLogger<KeepAliveSweeper> _log = new();
    private readonly KeepAliveSweeper _sweeper;
    private readonly List<LoopbackSocket> _sockets = [];

    public KeepAliveSweeperTests() =>
        _sweeper = new KeepAliveSweeper(_registry, Options.Create(new SocketOptions { PingIntervalMs = (int)Interval.TotalMilliseconds }), _time, _log);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _sweeper.Dispose();
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task Silent_socket_is_pinged_after_an_interval_and_dropped_an_interval_after_the_unanswered_ping()
    {
        var silent = await OpenAsync();
        await _sweeper.StartAsync(CancellationToken.None);

        _time.Advance(Interval - Tick);
        Assert.Equal(0, _sweeper.PingsSent);
        _time.Advance(Tick);
        Assert.Equal(1, _sweeper.PingsSent);
        Assert.Equal([0x89, 0x00], await ReadBytesAsync(silent.ClientStream, 2));

        _time.Advance(Interval - Tick);
        Assert.Equal(WebSocketState.Open, silent.ServerSocket.State);
        _time.Advance(Tick);
        Assert.Equal(WebSocketState.Aborted, silent.ServerSocket.State);
        Assert.Equal(1, _sweeper.PingsSent);
        Assert.Contains(_log.Collector.GetSnapshot(), r => r.Message.Contains(silent.Connection.Id, StringComparison.Ordinal) && r.Message.Contains("did not answer a ping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Socket_that_answers_every_ping_stays_open_beside_a_silent_one_that_is_dropped()
    {
        var alive = await OpenAsync();
        alive.AnswerPings();
        var silent = await OpenAsync();
        await _sweeper.StartAsync(CancellationToken.None);

        for (var ping = 1; ping <= 5; ping++)
        {
            _time.Advance(Interval);
            // The pong is read at the fake clock's current time, which stands still while the test waits for it.
            await Eventually.TrueAsync(() => Task.FromResult(alive.KeepAlive.LastRead == _time.GetTimestamp()), what: $"the pong to ping {ping}");
        }

        Assert.Equal(WebSocketState.Open, alive.ServerSocket.State);
        Assert.Equal(WebSocketState.Aborted, silent.ServerSocket.State);
        Assert.Equal(6, _sweeper.PingsSent);
    }

    [Fact]
    public async Task Late_sweep_pings_a_socket_it_never_pinged_instead_of_dropping_it()
    {
        var socket = await OpenAsync();
        socket.AnswerPings();

        // Two silent intervals pass before the first sweep, as when the sweeper's timer is held up on a loaded machine.
        _time.Advance(2 * Interval);
        await _sweeper.StartAsync(CancellationToken.None);
        _time.Advance(Tick);

        Assert.Equal(1, _sweeper.PingsSent);
        Assert.Equal(WebSocketState.Open, socket.ServerSocket.State);
        await Eventually.TrueAsync(() => Task.FromResult(socket.KeepAlive.LastRead == _time.GetTimestamp()), what: "the pong");
        _time.Advance(Interval);
        Assert.Equal(WebSocketState.Open, socket.ServerSocket.State);
        Assert.Equal(2, _sweeper.PingsSent);
    }

    [Fact]
    public async Task Socket_that_sent_something_within_the_interval_is_not_pinged()
    {
        var socket = await OpenAsync();
        await _sweeper.StartAsync(CancellationToken.None);

        for (var n = 0; n < 3; n++)
        {
            _time.Advance(Interval - Tick);
            // A masked client text frame "x": any frame from the client proves it alive, not only a pong.
            await socket.ClientStream.WriteAsync(new byte[] { 0x81, 0x81, 1, 2, 3, 4, (byte)('x' ^ 1) });
            await Eventually.TrueAsync(() => Task.FromResult(socket.KeepAlive.LastRead == _time.GetTimestamp()), what: "the frame being read");
        }

        Assert.Equal(0, _sweeper.PingsSent);
        Assert.Equal(WebSocketState.Open, socket.ServerSocket.State);
    }

    private async Task<LoopbackSocket> OpenAsync()
    {
        var socket = await LoopbackSocket.OpenAsync(_time, _registry);
        _sockets.Add(socket);
        _registry.Add(socket.Connection);
        return socket;
    }

    private static async Task<byte[]> ReadBytesAsync(Stream stream, int count)
    {
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return bytes;
    }
}
