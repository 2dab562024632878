using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Grains.Interfaces.Storage;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Users;

/// <summary>
/// A user's connections, presence and inbox. Connections live in memory and are tracked at their front's lease grain
/// (<see cref="IFrontLeaseGrain"/>), which tells this grain when the front died; after a re-activation (silo crash) the
/// fronts register them again when their lease renewal asks for a resync.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Realtime)] IPersistentState<UserState> state,
    [PersistentState("inbox-tail", StorageNames.Realtime)] IPersistentState<MessageLogSegment> inboxTail,
    [PersistentState("inbox", StorageNames.Realtime)] IPersistentState<MessageLogSegment> inboxArchive,
    IOptions<RealtimeOptions> options,
    MessagingMetrics metrics,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    // Presence changes are told to at most this many rooms per user, to keep the state and the fan-out bounded.
    private const int MaxTrackedRooms = 1000;

    // Long enough for an upgrade and its Connect on a loaded front; short enough that a dead front's places come back.
    private static readonly TimeSpan ReservationLapse = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, string> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IFrontObserver> _fronts = new(StringComparer.Ordinal);

    // Places held for connections being accepted (Reserve), until Connect or Disconnect, with when they lapse.
    private readonly Dictionary<string, DateTimeOffset> _reserved = new(StringComparer.Ordinal);
    private MessageLog _inbox = null!;

    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _inbox = new MessageLog(inboxTail, inboxArchive, options.Value.InboxSize, options.Value.InboxMaxBytes, options.Value.DedupWindow);
        return Task.CompletedTask;
    }

    public async Task<SendResult> SendDirect(OutgoingMessage message)
    {
        var key = message.ClientId is null ? null : MessageLog.KeyOf(message.From, message.ClientId);
        if (key is not null && _inbox.TryGetDuplicate(key, out var earlier))
        {
            return new SendResult(earlier, Duplicate: true, Online: _connections.Count > 0);
        }

        var stored = new ChatMessage(null, _inbox.LastSeq + 1, message.From, message.ClientId, message.Data, DateTimeOffset.UtcNow, UserId);
        if (message.From != UserId && _inbox.BytesFromSenderWith(stored) > options.Value.InboxSenderMaxBytes)
        {
            return new SendResult(0, Duplicate: false, Online: _connections.Count > 0, InboxFull: true);
        }

        await _inbox.AppendAsync(stored, key);
        metrics.DirectMessageAccepted();

        foreach (var front in _fronts.Values)
        {
            _ = front.DirectMessage(UserId, stored, message.OriginConnection);
        }

        if (message.OriginConnection is not null && message.From != UserId)
        {
            // One-way, so two users writing to each other at the same moment cannot wait on each other.
            _ = GrainFactory.GetGrain<IUserGrain>(message.From).Echo(stored, message.OriginConnection);
        }

        // Not awaited: the message is stored and delivered; the event must not hold up the sender's ack.
        _ = this.PublishMessageAsync(stored, options.Value.EventsMaxDataBytes, logger);
        return new SendResult(stored.Seq, Duplicate: false, Online: _connections.Count > 0);
    }

    public Task Echo(ChatMessage message, string? exceptConnection)
    {
        foreach (var front in _fronts.Values)
        {
            _ = front.DirectMessage(UserId, message, exceptConnection);
        }

        return Task.CompletedTask;
    }

    public async Task TrackRoom(string room, bool member)
    {
        var changed = member ? state.State.Rooms.Count < MaxTrackedRooms && state.State.Rooms.Add(room) : state.State.Rooms.Remove(room);
        if (changed)
        {
            await state.WriteStateAsync();
        }

        if (member && changed)
        {
            // The room took the new member as online (it joined from a socket); from now on it hears of every change,
            // and this first report corrects it should the socket have closed before the room was tracked here.
            _ = GrainFactory.GetGrain<IRoomGrain>(room).MemberPresenceChanged(UserId, _connections.Count > 0);
        }
    }

    public Task<IReadOnlyList<string>> Rooms() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Rooms]);

    public Task<MessagePage> Inbox(PageRequest request) => Task.FromResult(_inbox.Read(request));

    public Task<PresenceInfo> Presence()
    {
        return Task.FromResult(new PresenceInfo(_connections.Count > 0, _connections.Count, _connections.Count > 0 ? DateTimeOffset.UtcNow : state.State.LastSeen));
    }

    public Task<bool> Reserve(string connectionId, int max)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, lapses) in _reserved)
        {
            if (lapses <= now)
            {
                _reserved.Remove(id);
            }
        }

        if (_connections.Count + _reserved.Count >= max)
        {
            return Task.FromResult(false);
        }

        _reserved[connectionId] = now + ReservationLapse;
        return Task.FromResult(true);
    }

    public async Task<ConnectResult> Connect(string frontId, IFrontObserver front, IReadOnlyList<string> connectionIds)
    {
        var wasOnline = _connections.Count > 0;

        // Awaited, so that a later Untrack of this front cannot overtake it. The lease grain never awaits this grain.
        await GrainFactory.GetGrain<IFrontLeaseGrain>(frontId).Track(UserId);
        _fronts[frontId] = front;
        var added = connectionIds.Where(id => _connections.TryAdd(id, frontId)).ToList();
        foreach (var id in connectionIds)
        {
            _reserved.Remove(id);
        }

        // Connections live in memory only: no idle collection while there are any (they would be lost with it).
        DelayDeactivation(TimeSpan.MaxValue);
        foreach (var id in added)
        {
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserConnected, UserId, null, id, null, DateTimeOffset.UtcNow), logger);
        }

        if (!wasOnline && _connections.Count > 0)
        {
            LogOnline(logger, UserId);
            TellRooms(online: true);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserOnline, UserId, null, null, null, DateTimeOffset.UtcNow), logger);
        }

        return new ConnectResult(_inbox.LastSeq);
    }

    public async Task Disconnect(string frontId, string connectionId)
    {
        _reserved.Remove(connectionId);
        if (_connections.TryGetValue(connectionId, out var connectionFront) && connectionFront == frontId)
        {
            _connections.Remove(connectionId);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserDisconnected, UserId, null, connectionId, null, DateTimeOffset.UtcNow), logger);
            if (!_connections.ContainsValue(frontId))
            {
                _fronts.Remove(frontId);
                await GrainFactory.GetGrain<IFrontLeaseGrain>(frontId).Untrack(UserId);
            }

            await AfterRemovalAsync();
        }
    }

    public async Task FrontGone(string frontId)
    {
        if (!_fronts.Remove(frontId))
        {
            return;
        }

        var gone = _connections.Where(c => c.Value == frontId).Select(c => c.Key).ToList();
        foreach (var id in gone)
        {
            _connections.Remove(id);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserDisconnected, UserId, null, id, null, DateTimeOffset.UtcNow), logger);
        }

        LogFrontGone(logger, UserId, gone.Count);
        await AfterRemovalAsync();
    }

    // One-way calls: a room calls user grains for presence, so the user grain must never wait on a room.
    private void TellRooms(bool online)
    {
        foreach (var room in state.State.Rooms)
        {
            _ = GrainFactory.GetGrain<IRoomGrain>(room).MemberPresenceChanged(UserId, online);
        }
    }

    private async Task AfterRemovalAsync()
    {
        if (_connections.Count > 0)
        {
            return;
        }

        // A negative span hands the activation back to the normal idle collection.
        DelayDeactivation(TimeSpan.FromSeconds(-1));
        state.State.LastSeen = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        LogOffline(logger, UserId);
        TellRooms(online: false);
        await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserOffline, UserId, null, null, null, DateTimeOffset.UtcNow), logger);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} is online")]
    private static partial void LogOnline(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} is offline")]
    private static partial void LogOffline(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Count} connection(s) dropped because their front stopped renewing its lease")]
    private static partial void LogFrontGone(ILogger logger, string userId, int count);
}
