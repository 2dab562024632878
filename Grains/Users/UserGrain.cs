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
/// A user's connections, presence and inbox. Connections are persisted by front (<see cref="UserConnections"/>), so a
/// new activation (after a graceful deactivation or a silo crash) pushes to the user's fronts at once; each front's
/// lease grain (<see cref="IFrontLeaseGrain"/>) tells this grain when the front died. Direct messages interleave
/// (<see cref="IUserGrain.SendDirect"/> is <c>[AlwaysInterleave]</c>) and are stored with group commit
/// (<see cref="MessageWriter"/>) before they are pushed and acked; the other methods keep the one-turn-at-a-time model.
/// </summary>
public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Realtime)] IPersistentState<UserState> state,
    [PersistentState("inbox-tail", StorageNames.Realtime)] IPersistentState<MessageLogSegment> inboxTail,
    [PersistentState("inbox", StorageNames.Realtime)] IPersistentState<MessageLogSegment> inboxArchive,
    [PersistentState("connections", StorageNames.Realtime)] IPersistentState<UserConnections> connections,
    IOptions<RealtimeOptions> options,
    MessagingMetrics metrics,
    EventsOutbox events,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    // Presence changes are told to at most this many rooms per user, to keep the state and the fan-out bounded.
    private const int MaxTrackedRooms = 1000;

    // Long enough for an upgrade and its Connect on a loaded front; short enough that a dead front's places come back.
    private static readonly TimeSpan ReservationLapse = TimeSpan.FromMinutes(1);

    // Places held for connections being accepted (Reserve), until Connect or Disconnect, with when they lapse.
    private readonly Dictionary<string, DateTimeOffset> _reserved = new(StringComparer.Ordinal);
    private MessageLog _inbox = null!;
    private MessageWriter _writer = null!;

    private string UserId => this.GetPrimaryKeyString();

    private Dictionary<string, FrontConnections> Fronts => connections.State.Fronts;

    private int ConnectionCount => Fronts.Values.Sum(f => f.Connections.Count);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _inbox = new MessageLog(inboxTail, inboxArchive, options.Value.InboxSize, options.Value.InboxMaxBytes, options.Value.DedupWindow);
        _writer = new MessageWriter(_inbox, options.Value.WriteQueueLimit, Push, logger);
        if (ConnectionCount > 0)
        {
            // Connections restored from storage: no idle collection while there are any.
            DelayDeactivation(TimeSpan.MaxValue);
        }

        // Their fronts' lease grains may have lost track of this user (they keep users in memory) while their fronts
        // died: told, a lease grain ends the connections of a front that no longer renews. Not awaited: the lease grain
        // calls this grain (FrontGone), and a lease grain that cannot be reached must not stop the activation.
        foreach (var frontId in Fronts.Keys)
        {
            _ = GrainFactory.GetGrain<IFrontLeaseGrain>(frontId).Restored(UserId);
        }

        return Task.CompletedTask;
    }

    public async Task<SendResult> SendDirect(OutgoingMessage message) => (await SendDirectMany([message]))[0];

    public async Task<IReadOnlyList<SendResult>> SendDirectMany(IReadOnlyList<OutgoingMessage> messages)
    {
        var results = new SendResult?[messages.Count];
        var stored = new List<(int Index, NewMessage Message)>();

        // Sends interleave: a sender's messages waiting for a write (queued, or earlier in this batch) count against its
        // share too.
        var waitingBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        var keysInBatch = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index];
            var key = MessageLog.KeyOf(message);
            if (key is not null && _inbox.TryGetDuplicate(key, out var earlier))
            {
                results[index] = new SendResult(earlier, Duplicate: true, Online: false);
                continue;
            }

            // A retry of a message still waiting for its write (or a repeat within this batch) is not counted again:
            // the writer answers it with the first one's seq.
            ChatMessage Stored(long seq) => new(null, seq, message.From, message.ClientId, message.Data, time.GetUtcNow(), UserId);
            if (message.From != UserId && !_writer.IsWaiting(key) && (key is null || !keysInBatch.Contains(key)))
            {
                var candidate = Stored(0);
                var waiting = waitingBytes.TryGetValue(message.From, out var counted) ? counted : _writer.QueuedBytesFrom(message.From);
                if (_inbox.BytesFromSenderWith(candidate) + waiting > options.Value.InboxSenderMaxBytes)
                {
                    results[index] = new SendResult(0, Duplicate: false, Online: false, InboxFull: true);
                    continue;
                }

                waitingBytes[message.From] = waiting + MessageLog.SizeOf(candidate);
            }

            if (key is not null)
            {
                keysInBatch.Add(key);
            }

            stored.Add((index, new NewMessage(Stored, key, message.OriginConnection)));
        }

        // Only when something is to be stored: a call of duplicates and refusals is answered even while the queue is full.
        var appended = stored.Count > 0 ? _writer.AppendAll([.. stored.Select(s => s.Message)]) : [];
        for (var i = 0; i < appended.Length; i++)
        {
            var (seq, duplicate, _) = await appended[i];
            results[stored[i].Index] = new SendResult(seq, duplicate, Online: false);
        }

        var online = ConnectionCount > 0;
        return [.. results.Select(r => r! with { Online = online })];
    }

    /// <summary>Pushes each stored message to every front of the user, echoes it to the sender's other sockets, and publishes it.</summary>
    private void Push(IReadOnlyList<WaitingMessage> group)
    {
        metrics.DirectMessageAccepted(group.Count);
        foreach (var stored in group)
        {
            foreach (var front in Fronts.Values)
            {
                _ = front.Observer.DirectMessage(UserId, stored.Message, stored.OriginConnection);
            }

            if (stored.OriginConnection is not null && stored.Message.From != UserId)
            {
                // One-way, so two users writing to each other at the same moment cannot wait on each other.
                _ = GrainFactory.GetGrain<IUserGrain>(stored.Message.From).Echo(stored.Message, stored.OriginConnection);
            }
        }

        // Not awaited: the messages are stored and delivered; the events must not hold up the senders' acks.
        events.PostMessages(group.Select(w => w.Message), options.Value.EventsMaxDataBytes);
    }

    public Task Echo(ChatMessage message, string? exceptConnection)
    {
        foreach (var front in Fronts.Values)
        {
            _ = front.Observer.DirectMessage(UserId, message, exceptConnection);
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
            _ = GrainFactory.GetGrain<IRoomGrain>(room).MemberPresenceChanged(UserId, ConnectionCount > 0);
        }
    }

    public Task<IReadOnlyList<string>> Rooms() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Rooms]);

    public Task<MessagePage> Inbox(PageRequest request) => Task.FromResult(_inbox.Read(request));

    public Task<PresenceInfo> Presence()
    {
        var count = ConnectionCount;
        return Task.FromResult(new PresenceInfo(count > 0, count, count > 0 ? time.GetUtcNow() : state.State.LastSeen));
    }

    public Task<bool> Reserve(string connectionId, int max)
    {
        var now = time.GetUtcNow();
        foreach (var (id, lapses) in _reserved)
        {
            if (lapses <= now)
            {
                _reserved.Remove(id);
            }
        }

        if (ConnectionCount + _reserved.Count >= max)
        {
            return Task.FromResult(false);
        }

        _reserved[connectionId] = now + ReservationLapse;
        return Task.FromResult(true);
    }

    public async Task<ConnectResult> Connect(string frontId, IFrontObserver front, IReadOnlyList<string> connectionIds)
    {
        var wasOnline = ConnectionCount > 0;
        foreach (var id in connectionIds)
        {
            _reserved.Remove(id);
        }

        var known = Fronts.TryGetValue(frontId, out var entry);
        if (!known && connectionIds.Count == 0)
        {
            return new ConnectResult(_inbox.LastSeq);
        }

        // Awaited, so that a later Untrack of this front cannot overtake it. The lease grain never awaits this grain.
        await GrainFactory.GetGrain<IFrontLeaseGrain>(frontId).Track(UserId);
        entry ??= Fronts[frontId] = new FrontConnections { Observer = front };
        var previousObserver = entry.Observer;
        entry.Observer = front;
        var added = connectionIds.Where(entry.Connections.Add).ToList();
        if (!known || added.Count > 0 || previousObserver.GetGrainId() != front.GetGrainId())
        {
            try
            {
                await connections.WriteStateAsync();
            }
            catch
            {
                // Not stored, so not registered: the front closes the socket (1011) and the client reconnects.
                entry.Connections.ExceptWith(added);
                entry.Observer = previousObserver;
                if (!known)
                {
                    Fronts.Remove(frontId);
                }

                throw;
            }
        }

        // No idle collection while there are connections: pushes would wait for a re-activation.
        DelayDeactivation(TimeSpan.MaxValue);
        foreach (var id in added)
        {
            events.Post(new RealtimeEvent(RealtimeEventKinds.UserConnected, UserId, null, id, null, time.GetUtcNow()));
        }

        if (!wasOnline && ConnectionCount > 0)
        {
            LogOnline(logger, UserId);
            TellRooms(online: true);
            events.Post(new RealtimeEvent(RealtimeEventKinds.UserOnline, UserId, null, null, null, time.GetUtcNow()));
        }

        return new ConnectResult(_inbox.LastSeq);
    }

    public async Task Disconnect(string frontId, string connectionId)
    {
        _reserved.Remove(connectionId);
        if (!Fronts.TryGetValue(frontId, out var entry) || !entry.Connections.Remove(connectionId))
        {
            return;
        }

        var frontEmptied = entry.Connections.Count == 0;
        if (frontEmptied)
        {
            Fronts.Remove(frontId);
        }

        await connections.WriteStateAsync();
        events.Post(new RealtimeEvent(RealtimeEventKinds.UserDisconnected, UserId, null, connectionId, null, time.GetUtcNow()));
        if (frontEmptied)
        {
            await GrainFactory.GetGrain<IFrontLeaseGrain>(frontId).Untrack(UserId);
        }

        await AfterRemovalAsync();
    }

    public async Task FrontGone(string frontId)
    {
        if (!Fronts.Remove(frontId, out var entry))
        {
            return;
        }

        await connections.WriteStateAsync();
        foreach (var id in entry.Connections)
        {
            events.Post(new RealtimeEvent(RealtimeEventKinds.UserDisconnected, UserId, null, id, null, time.GetUtcNow()));
        }

        LogFrontGone(logger, UserId, entry.Connections.Count);
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
        if (ConnectionCount > 0)
        {
            return;
        }

        // A negative span hands the activation back to the normal idle collection.
        DelayDeactivation(TimeSpan.FromSeconds(-1));
        state.State.LastSeen = time.GetUtcNow();
        await state.WriteStateAsync();
        LogOffline(logger, UserId);
        TellRooms(online: false);
        events.Post(new RealtimeEvent(RealtimeEventKinds.UserOffline, UserId, null, null, null, time.GetUtcNow()));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} is online")]
    private static partial void LogOnline(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId} is offline")]
    private static partial void LogOffline(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Count} connection(s) dropped because their front stopped renewing its lease")]
    private static partial void LogFrontGone(ILogger logger, string userId, int count);
}
