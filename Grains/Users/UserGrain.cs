using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Users;

/// <summary>
/// A user's connections, presence and inbox. Connections live in memory with a lease per front: fronts renew them
/// every ping interval, so after a re-activation they come back by themselves and after a front's death they expire.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> state,
    IOptions<RealtimeOptions> options,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private readonly Dictionary<string, (string FrontId, DateTime Expires)> _connections = new(StringComparer.Ordinal);
    private readonly FrontRegistrations _fronts = new();
    private DedupWindow _dedup = null!;
    private IGrainTimer? _expiryTimer;

    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _dedup = new DedupWindow(state.State.Dedup, options.Value.DedupWindow);
        return Task.CompletedTask;
    }

    public async Task<SendResult> SendDirect(OutgoingMessage message)
    {
        var key = message.ClientId is null ? null : DedupWindow.KeyOf(message.From, message.ClientId);
        if (key is not null && _dedup.TryGet(key, out var earlier))
        {
            return new SendResult(earlier, Duplicate: true, Online: _connections.Count > 0);
        }

        var stored = new ChatMessage(null, state.State.Seq + 1, message.From, message.ClientId, message.Data, DateTimeOffset.UtcNow, UserId);
        state.State.Seq = stored.Seq;
        state.State.Inbox.Add(stored);
        var excess = state.State.Inbox.Count - options.Value.InboxSize;
        if (excess > 0)
        {
            state.State.Inbox.RemoveRange(0, excess);
        }

        if (key is not null)
        {
            _dedup.Add(key, stored.Seq);
        }

        await state.WriteStateAsync();

        foreach (var front in _fronts.Live())
        {
            _ = front.DirectMessage(UserId, stored, message.OriginConnection);
        }

        if (message.OriginConnection is not null && message.From != UserId)
        {
            // One-way, so two users writing to each other at the same moment cannot wait on each other.
            _ = GrainFactory.GetGrain<IUserGrain>(message.From).Echo(stored, message.OriginConnection);
        }

        await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.Message, message.From, null, null, stored, stored.Ts), logger);
        return new SendResult(stored.Seq, Duplicate: false, Online: _connections.Count > 0);
    }

    public Task Echo(ChatMessage message, string? exceptConnection)
    {
        foreach (var front in _fronts.Live())
        {
            _ = front.DirectMessage(UserId, message, exceptConnection);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChatMessage>> Inbox(long since, int limit)
    {
        IReadOnlyList<ChatMessage> page = state.State.Inbox.Where(m => m.Seq > since).Take(Math.Max(0, limit)).ToList();
        return Task.FromResult(page);
    }

    public Task<PresenceInfo> Presence()
    {
        ExpireConnections();
        return Task.FromResult(new PresenceInfo(_connections.Count > 0, _connections.Count, _connections.Count > 0 ? DateTimeOffset.UtcNow : state.State.LastSeen));
    }

    public async Task<ConnectResult> Connect(string frontId, IFrontObserver front, IReadOnlyList<string> connectionIds, TimeSpan lease)
    {
        var wasOnline = _connections.Count > 0;
        var expires = DateTime.UtcNow + lease;
        _fronts.Renew(frontId, front, lease);
        var added = new List<string>();
        foreach (var id in connectionIds)
        {
            if (!_connections.ContainsKey(id))
            {
                added.Add(id);
            }

            _connections[id] = (frontId, expires);
        }

        _expiryTimer ??= this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(lease / 2, lease / 2) { KeepAlive = true });
        foreach (var id in added)
        {
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserConnected, UserId, null, id, null, DateTimeOffset.UtcNow), logger);
        }

        if (!wasOnline && _connections.Count > 0)
        {
            LogOnline(logger, UserId);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserOnline, UserId, null, null, null, DateTimeOffset.UtcNow), logger);
        }

        return new ConnectResult(state.State.Seq);
    }

    public async Task Disconnect(string frontId, string connectionId)
    {
        if (_connections.TryGetValue(connectionId, out var connection) && connection.FrontId == frontId)
        {
            _connections.Remove(connectionId);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserDisconnected, UserId, null, connectionId, null, DateTimeOffset.UtcNow), logger);
            if (!_connections.Values.Any(c => c.FrontId == frontId))
            {
                _fronts.Remove(frontId);
            }

            await AfterRemovalAsync();
        }
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var expired = ExpireConnections();
        foreach (var id in expired)
        {
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserDisconnected, UserId, null, id, null, DateTimeOffset.UtcNow), logger);
        }

        if (expired.Count > 0)
        {
            LogExpired(logger, UserId, expired.Count);
            await AfterRemovalAsync();
        }
    }

    private List<string> ExpireConnections()
    {
        var now = DateTime.UtcNow;
        var expired = _connections.Where(c => c.Value.Expires <= now).Select(c => c.Key).ToList();
        expired.ForEach(id => _connections.Remove(id));
        return expired;
    }

    private async Task AfterRemovalAsync()
    {
        if (_connections.Count > 0)
        {
            return;
        }

        _expiryTimer?.Dispose();
        _expiryTimer = null;
        _fronts.Live();
        state.State.LastSeen = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        LogOffline(logger, UserId);
        await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserOffline, UserId, null, null, null, DateTimeOffset.UtcNow), logger);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} is online")]
    private static partial void LogOnline(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} is offline")]
    private static partial void LogOffline(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Count} connection(s) expired because their front stopped renewing them")]
    private static partial void LogExpired(ILogger logger, string userId, int count);
}
