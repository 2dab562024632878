using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// This front as the cluster sees it: one id, one observer reference that user and room grains push to, its one lease
/// (<see cref="IFrontLeaseGrain"/>) and the leases of its room subscriptions. Leases last 1.25 ping intervals and are
/// renewed every half interval (one renewal may be missed), so a front that dies is forgotten (and its users go
/// offline) within two ping intervals. Pushes go to the <see cref="ConnectionRegistry"/>, which writes them in seq order
/// and reads what did not arrive from the grains through this front (<see cref="IMessageSources"/>).
/// </summary>
internal sealed class FrontNode(IClusterClient cluster, ConnectionRegistry registry, IOptions<SocketOptions> options) : IFrontObserver, IMessageSources
{
    private readonly Lock _referenceLock = new();
    private IFrontObserver? _reference;

    public string FrontId { get; } = "front-" + Guid.NewGuid().ToString("N");

    public TimeSpan Lease => options.Value.PingInterval * 1.25;

    public TimeSpan RenewEvery => options.Value.PingInterval / 2;

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

    public IRoomListGrain RoomList => cluster.GetGrain<IRoomListGrain>(0);

    /// <summary>
    /// Registers the user's connections here; the answer (the inbox's latest seq) also tells the inbox feed where it is.
    /// Returns the seq after which the connections get every direct message, which the answer's is unless another socket
    /// of the user, registered at the same moment, started the feed above it.
    /// </summary>
    public async Task<ConnectResult> ConnectAsync(string userId, IReadOnlyList<string> connectionIds)
    {
        var result = await User(userId).Connect(FrontId, Reference, connectionIds);
        return result with { InboxSeq = registry.InboxReached(userId, result.InboxSeq) };
    }

    public Task<LeaseRenewal> RenewLeaseAsync() => cluster.GetGrain<IFrontLeaseGrain>(FrontId).Renew(Lease);

    /// <summary>Subscribes (or renews) this front at the room; the answer, the room's latest seq, shows the feed any gap.</summary>
    public async Task<long> SubscribeAsync(string room)
    {
        var position = await Room(room).Subscribe(FrontId, Reference, Lease);
        registry.RoomReached(room, position);
        return position;
    }

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

    public IMessageSource RoomSource(string room) => new RoomMessageSource(this, room, options.Value.AnswerMaxBytes);

    public IMessageSource InboxSource(string userId) => new InboxMessageSource(this, userId, options.Value.AnswerMaxBytes);

    public Task DirectMessage(string userId, ChatMessage message, string? exceptConnection)
    {
        registry.DeliverDirect(userId, message, exceptConnection);
        return Task.CompletedTask;
    }

    public Task RoomMessages(IReadOnlyList<PushedMessage> messages)
    {
        registry.DeliverRoom(messages);
        return Task.CompletedTask;
    }

    public Task Broadcast(BroadcastMessage message)
    {
        registry.DeliverAll(ServerFrames.Broadcast(message));
        return Task.CompletedTask;
    }

    /// <summary>Subscribes (or renews) this front at the broadcast grain.</summary>
    public Task SubscribeBroadcastsAsync() => cluster.GetGrain<IBroadcastGrain>(StreamNames.AllKey).Subscribe(FrontId, Reference, Lease);

    /// <summary>Stops the broadcasts to this front (shutting down).</summary>
    public Task UnsubscribeBroadcastsAsync() => cluster.GetGrain<IBroadcastGrain>(StreamNames.AllKey).Unsubscribe(FrontId);

    public Task RoomEvent(string room, string kind, string userId)
    {
        registry.DeliverRoomEvent(room, kind, userId);
        return Task.CompletedTask;
    }

    public Task RoomTyping(string room, string userId)
    {
        registry.DeliverToRoom(room, ServerFrames.Typing(room, userId), exceptUser: userId, exceptConnection: null);
        return Task.CompletedTask;
    }

    public Task RoomReceipt(string room, string userId, long seq, string? exceptConnection)
    {
        registry.DeliverToRoom(room, ServerFrames.Receipt(room, userId, seq, id: null), exceptUser: null, exceptConnection);
        return Task.CompletedTask;
    }

    public Task RoomAccessRevoked(string room, string userId) => RevokeAsync(room, socket => socket.UserId == userId);

    public Task RoomRestricted(string room, IReadOnlyList<string> allowed)
    {
        var admitted = allowed.ToHashSet(StringComparer.Ordinal);
        return RevokeAsync(room, socket => !socket.Identity.IsStaff && !admitted.Contains(socket.UserId));
    }

    private async Task RevokeAsync(string room, Func<SocketConnection, bool> revoked)
    {
        if (registry.Revoke(room, revoked))
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
