using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Front.Auth;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>The front-wide token expiry (<see cref="TokenExpiryWheel"/>) on a fake clock: 4001 in the second <c>exp</c> names.</summary>
public sealed class TokenExpiryWheelTests : IDisposable
{
    // Half a second into a second, so that "the second of expiry" and "a second later" differ from plain arithmetic.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 8, 0, 0, 500, TimeSpan.Zero));
    private readonly TokenExpiryWheel _wheel;

    public TokenExpiryWheelTests() => _wheel = new TokenExpiryWheel(_time);

    public void Dispose() => _wheel.Dispose();

    [Fact]
    public async Task Socket_is_closed_with_4001_in_the_second_its_token_expires()
    {
        var (socket, wire) = Socket(expiresIn: TimeSpan.FromSeconds(5));
        _wheel.Watch(socket);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(socket.IsClosing);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(socket.IsClosing);

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4001, WebSocketFrames.CloseStatus(wire.Writes[^1]));
        Assert.Equal(TokenExpiryWheel.NotWatched, socket.ExpirySlot);
    }

    [Fact]
    public void Refreshed_token_is_watched_at_its_new_expiry_only()
    {
        var (socket, _) = Socket(expiresIn: TimeSpan.FromSeconds(5));
        _wheel.Watch(socket);
        socket.Identity = socket.Identity with { ExpiresAt = _time.GetUtcNow().AddMinutes(1) };
        _wheel.Watch(socket);

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(socket.IsClosing);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(socket.IsClosing);
    }

    [Fact]
    public void Forgotten_socket_is_never_closed_and_its_neighbours_in_the_slot_still_are()
    {
        var (forgotten, _) = Socket(expiresIn: TimeSpan.FromSeconds(3));
        var (neighbour, _) = Socket(expiresIn: TimeSpan.FromSeconds(3));
        _wheel.Watch(forgotten);
        _wheel.Watch(neighbour);
        _wheel.Forget(forgotten);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(forgotten.IsClosing);
        Assert.True(neighbour.IsClosing);
    }

    [Fact]
    public void Token_that_expired_before_it_was_watched_closes_the_socket_at_once()
    {
        var (socket, _) = Socket(expiresIn: TimeSpan.FromSeconds(-2));

        _wheel.Watch(socket);

        Assert.True(socket.IsClosing);
        Assert.Equal(TokenExpiryWheel.NotWatched, socket.ExpirySlot);
    }

    [Fact]
    public void Clock_going_back_closes_nothing_early()
    {
        var (socket, _) = Socket(expiresIn: TimeSpan.FromSeconds(5));
        _wheel.Watch(socket);

        _time.AdjustTime(_time.GetUtcNow().AddHours(-1));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(socket.IsClosing);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.True(socket.IsClosing);
    }

    private (SocketConnection Socket, RecordingStream Wire) Socket(TimeSpan expiresIn)
    {
        var wire = new RecordingStream();
        var webSocket = WebSocket.CreateFromStream(wire, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var identity = new UserIdentity("alice", null, UserIdentity.Customer, _time.GetUtcNow().Add(expiresIn));
        return (new SocketConnection("c-" + Guid.NewGuid().ToString("N"), webSocket, identity, queueLimit: 16, queueMaxBytes: 1 << 20, keepAlive: null, metrics: TestRealtimeMetrics.For(NoClusterSources.Registry())), wire);
    }
}
