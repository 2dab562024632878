using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// This front as the cluster sees it: one id, one observer reference that user and room grains push to, and the
/// leases it holds at them. Leases last 1.5 ping intervals and are renewed every half interval, so a front that dies
/// is forgotten (and its users go offline) within two ping intervals.
/// </summary>
internal sealed class FrontNode(IClusterClient cluster, ConnectionRegistry registry, IOptions<SocketOptions> options) : IFrontObserver
{
    private readonly Lock _referenceLock = new();
    private IFrontObserver? _reference;

    public string FrontId { get; } = "front-" + Guid.NewGuid().ToString("N");

    public TimeSpan Lease => TimeSpan.FromMilliseconds(options.Value.PingIntervalMs * 1.5);

    public TimeSpan RenewEvery => TimeSpan.FromMilliseconds(options.Value.PingIntervalMs / 2.0);

    /// <summary>The reference grains call; created on first use because the cluster client starts after construction.</summary>
    public IFrontObserver Reference
    {
        get
        {
            lock (_referenceLock)
            {
                return _reference ??= cluster.CreateObjectReference<IFrontObserver>(this);
            }
        }
    }

    public IUserGrain User(string userId) => cluster.GetGrain<IUserGrain>(userId);

    public IRoomGrain Room(string roomId) => cluster.GetGrain<IRoomGrain>(roomId);

    public Task<ConnectResult> ConnectAsync(string userId, IReadOnlyList<string> connectionIds) =>
        User(userId).Connect(FrontId, Reference, connectionIds, Lease);

    public Task SubscribeAsync(string room) => Room(room).Subscribe(FrontId, Reference, Lease);

    /// <summary>
    /// Tells the room grain this front has no socket left in the room. Should a socket have joined meanwhile, the
    /// subscription is renewed at once so that it keeps receiving.
    /// </summary>
    public async Task UnsubscribeAsync(string room)
    {
        await Room(room).Unsubscribe(FrontId);
        if (registry.Rooms().Contains(room))
        {
            await SubscribeAsync(room);
        }
    }

    public Task DirectMessage(string userId, ChatMessage message, string? exceptConnection)
    {
        registry.DeliverDirect(userId, message, exceptConnection);
        return Task.CompletedTask;
    }

    public Task RoomMessage(ChatMessage message, string? exceptConnection)
    {
        registry.DeliverRoom(message, exceptConnection);
        return Task.CompletedTask;
    }

    public Task RoomEvent(string room, string kind, string userId)
    {
        registry.DeliverRoomEvent(room, kind, userId);
        return Task.CompletedTask;
    }

    public async Task RoomAccessRevoked(string room, string userId)
    {
        if (registry.Revoke(room, userId))
        {
            await UnsubscribeAsync(room);
        }
    }

    /// <summary>Drops the observer reference on shutdown so the runtime stops routing to it.</summary>
    public void Release()
    {
        lock (_referenceLock)
        {
            if (_reference is not null)
            {
                cluster.DeleteObjectReference<IFrontObserver>(_reference);
                _reference = null;
            }
        }
    }
}
