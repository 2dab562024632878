using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// This front as the cluster sees it: one id, one observer reference that user and room grains push to, its one lease
/// (<see cref="IFrontLeaseGrain"/>) and the leases of its room subscriptions. Leases last 1.25 ping intervals and are
/// renewed every half interval (one renewal may be missed), so a front that dies is forgotten (and its users go
/// offline) within two ping intervals.
/// </summary>
internal sealed partial class FrontNode(IClusterClient cluster, ConnectionRegistry registry, IOptions<SocketOptions> options, ILogger<FrontNode> logger) : IFrontObserver
{
    /// <summary>How long a message that overtook an earlier one waits for it before the gap is read from history.</summary>
    private static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(200);

    /// <summary>The most a gap fill reads; anything older is left to the clients' recovery by seq.</summary>
    private const int MaxGapFill = 200;

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

    public Task<ConnectResult> ConnectAsync(string userId, IReadOnlyList<string> connectionIds) =>
        User(userId).Connect(FrontId, Reference, connectionIds);

    public Task<LeaseRenewal> RenewLeaseAsync() => cluster.GetGrain<IFrontLeaseGrain>(FrontId).Renew(Lease);

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
        if (registry.DeliverRoom(message, exceptConnection))
        {
            FillGapSoon(message.Room!);
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts filling the room's gap in the background (see <see cref="FillGapAsync"/>).</summary>
    public void FillGapSoon(string room) => _ = FillGapAsync(room);

    /// <summary>
    /// A room message arrived ahead of an earlier one. Usually the earlier push is just behind it; if it has not come
    /// after <see cref="GapWait"/>, the missing seqs are read from the room's history. What history no longer has is
    /// skipped (clients recover by seq with <c>join</c> and <c>since</c>).
    /// </summary>
    private async Task FillGapAsync(string room)
    {
        await Task.Delay(GapWait);
        if (registry.MissingRange(room) is not var (from, to))
        {
            return;
        }

        try
        {
            var missing = await Room(room).History(PageRequest.After(from - 1, (int)Math.Min(to - from + 1, MaxGapFill), options.Value.AnswerMaxBytes));
            foreach (var message in missing.Messages)
            {
                registry.DeliverRoom(message, exceptConnection: null);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogGapFillFailed(logger, room, e.GetType().Name);
        }

        if (registry.MissingRange(room) is var (_, stillTo))
        {
            registry.SkipGap(room, stillTo);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the missing messages of room {Room} from its history ({Error}); clients recover by seq")]
    private static partial void LogGapFillFailed(ILogger logger, string room, string error);

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
