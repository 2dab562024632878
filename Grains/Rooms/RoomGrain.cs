using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Grains.Interfaces.Storage;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Rooms;

/// <summary>
/// A room. Posts interleave (<see cref="IRoomGrain.Post"/> is <c>[AlwaysInterleave]</c>) and are stored with group
/// commit (<see cref="MessageWriter"/>): each gets its seq at once, so seqs stay gap-free in arrival order; what arrives
/// while a write is in flight is written together by the next one; after each write its messages are pushed once to
/// every subscribed front in seq order and published as events, and only then are their senders answered. The other
/// methods keep the one-turn-at-a-time model. Subscribed fronts are persisted, so a new activation pushes to them at once.
/// </summary>
public sealed class RoomGrain(
    [PersistentState("room", StorageNames.Realtime)] IPersistentState<RoomState> state,
    [PersistentState("history-tail", StorageNames.Realtime)] IPersistentState<MessageLogSegment> historyTail,
    [PersistentState("history", StorageNames.Realtime)] IPersistentState<MessageLogSegment> historyArchive,
    [PersistentState("fronts", StorageNames.Realtime)] IPersistentState<RegisteredFronts> subscribedFronts,
    [PersistentState("read-cursors", StorageNames.Realtime)] IPersistentState<ReadCursorsState> readCursors,
    IOptions<RealtimeOptions> options,
    MessagingMetrics metrics,
    EventsOutbox events,
    TimeProvider time,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    /// <summary>How long cursor moves wait in memory before they are written together.</summary>
    private static readonly TimeSpan CursorWriteDelay = TimeSpan.FromSeconds(1);

    /// <summary>Rooms with more members keep cursors but send no <c>receipt</c> frames: each read would reach every member.</summary>
    private const int MaxReceiptMembers = 100;

    private readonly ReadCursors _cursors = new(readCursors);
    private readonly TypingThrottle _typing = new(time);
    private IGrainTimer? _cursorWrite;
    private bool _cursorWriteDue;
    private FrontRegistrations _fronts = null!;
    private MessageLog _history = null!;
    private MessageWriter _writer = null!;
    private RoomPresence _presence = null!;

    private string RoomId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _history = new MessageLog(historyTail, historyArchive, options.Value.RoomHistorySize, options.Value.RoomHistoryMaxBytes, options.Value.DedupWindow);
        _writer = new MessageWriter(_history, options.Value.WriteQueueLimit, Push, logger);
        _fronts = new FrontRegistrations(subscribedFronts, time);
        _presence = new RoomPresence(GrainFactory, logger);
        return Task.CompletedTask;
    }

    public async Task<SendResult?> Post(OutgoingMessage message, bool senderIsStaff) => (await PostMany([message], senderIsStaff))?[0];

    public async Task<IReadOnlyList<SendResult>?> PostMany(IReadOnlyList<OutgoingMessage> messages, bool senderIsStaff)
    {
        if (!messages.All(m => IsAdmitted(m.From, senderIsStaff)))
        {
            return null;
        }

        var appended = _writer.AppendAll([.. messages.Select(m => new NewMessage(Stored(m), MessageLog.KeyOf(m), m.OriginConnection, m.OriginFront))]);
        return Array.ConvertAll(await Task.WhenAll(appended), ResultOf);
    }

    private Func<long, ChatMessage> Stored(OutgoingMessage message) =>
        seq => new ChatMessage(RoomId, seq, message.From, message.ClientId, message.Data, time.GetUtcNow(), null);

    private static SendResult ResultOf((long Seq, bool Duplicate, ChatMessage? Carried) appended) =>
        new(appended.Seq, appended.Duplicate, Online: false, Message: appended.Carried);

    /// <summary>
    /// One push per subscribed front for each stored group, and its events handed to the outbox (the acks wait for
    /// neither). A group sent wholly through one front that takes its messages from the answers is not pushed there: each
    /// sender's answer carries its message (one Orleans message per post fewer, as a room's posts mostly come one per write).
    /// </summary>
    private void Push(IReadOnlyList<WaitingMessage> group)
    {
        var origin = group.All(w => w.OriginFront == group[0].OriginFront) ? group[0].OriginFront : null;
        foreach (var waiting in group)
        {
            waiting.AnswerCarries = origin is not null;
        }

        var pushed = group.Select(w => new PushedMessage(w.Message, w.OriginConnection)).ToList();
        foreach (var front in _fronts.Live(except: origin))
        {
            _ = front.RoomMessages(pushed);
        }

        metrics.RoomMessageAccepted(group.Count);
        events.PostMessages(group.Select(w => w.Message), options.Value.EventsMaxDataBytes);
    }

    public async Task<JoinResult> Join(string userId, bool isStaff, PageRequest? replay)
    {
        if (!IsAdmitted(userId, isStaff))
        {
            return new JoinResult(false, 0, false, [], []);
        }

        var joined = state.State.Members.Add(userId);
        if (joined | (isStaff && state.State.StaffMembers.Add(userId)))
        {
            await state.WriteStateAsync();
        }

        if (joined)
        {
            _ = GrainFactory.GetGrain<IUserGrain>(userId).TrackRoom(RoomId, member: true);
            _presence.Joined(userId);
            Notify(RealtimeEventKinds.UserJoined, userId);
            events.Post(new RealtimeEvent(RealtimeEventKinds.UserJoined, userId, RoomId, null, null, time.GetUtcNow()));
        }

        var seq = _history.LastSeq;
        if (replay is null)
        {
            return new JoinResult(true, seq, true, [], await Presence(), Unread: UnreadFor(userId), Readers: _cursors.Of(state.State.Members));
        }

        var page = _history.Read(replay);
        var recovered = replay.Seq >= seq || _history.FirstSeq <= replay.Seq + 1;
        return new JoinResult(true, seq, recovered, page.Messages, await Presence(), page.More, UnreadFor(userId), _cursors.Of(state.State.Members));
    }

    public async Task Leave(string userId)
    {
        if (state.State.Members.Remove(userId))
        {
            state.State.StaffMembers.Remove(userId);
            await state.WriteStateAsync();
            _ = GrainFactory.GetGrain<IUserGrain>(userId).TrackRoom(RoomId, member: false);
            Notify(RealtimeEventKinds.UserLeft, userId);
            events.Post(new RealtimeEvent(RealtimeEventKinds.UserLeft, userId, RoomId, null, null, time.GetUtcNow()));
        }
    }

    public Task<MessagePage> History(PageRequest request) => Task.FromResult(_history.Read(request));

    /// <summary>From the presence the room tracks: no call per member (the first query of an activation asks each once).</summary>
    public async Task<IReadOnlyList<MemberPresence>> Presence()
    {
        await _presence.RefreshOnceAsync(state.State.Members);
        return _presence.Of(state.State.Members);
    }

    public Task<bool> Admits(string userId, bool isStaff) => Task.FromResult(IsAdmitted(userId, isStaff));

    public async Task AllowMember(string userId)
    {
        if (state.State.Restricted)
        {
            if (state.State.Allowed.Add(userId))
            {
                await state.WriteStateAsync();
            }

            return;
        }

        // The room turns private: whoever it no longer admits is revoked as RemoveMember does, on every front.
        state.State.Restricted = true;
        state.State.Allowed.Add(userId);
        var revoked = state.State.Members.Where(m => !IsAdmitted(m, state.State.StaffMembers.Contains(m))).ToList();
        state.State.Members.ExceptWith(revoked);
        await state.WriteStateAsync();
        foreach (var member in revoked)
        {
            _ = GrainFactory.GetGrain<IUserGrain>(member).TrackRoom(RoomId, member: false);
        }

        // The fronts are given the list rather than the names revoked: a socket can be in the room while its user is
        // not a member (another socket of the user left), and that socket must go too.
        var allowed = state.State.Allowed.ToList();
        foreach (var front in _fronts.Live())
        {
            _ = front.RoomRestricted(RoomId, allowed);
        }
    }

    public async Task RemoveMember(string userId)
    {
        var changed = !state.State.Restricted | state.State.Allowed.Remove(userId) | state.State.Members.Remove(userId);
        state.State.Restricted = true;
        state.State.StaffMembers.Remove(userId);
        if (changed)
        {
            await state.WriteStateAsync();
            _ = GrainFactory.GetGrain<IUserGrain>(userId).TrackRoom(RoomId, member: false);
        }

        foreach (var front in _fronts.Live())
        {
            _ = front.RoomAccessRevoked(RoomId, userId);
        }
    }

    public Task MemberPresenceChanged(string userId, bool online)
    {
        if (!state.State.Members.Contains(userId))
        {
            _presence.Forget(userId);
        }
        else if (_presence.Change(userId, online))
        {
            Notify(online ? RealtimeEventKinds.UserOnline : RealtimeEventKinds.UserOffline, userId);
        }

        return Task.CompletedTask;
    }

    public async Task<long> Subscribe(string frontId, IFrontObserver front, TimeSpan lease)
    {
        await _fronts.RenewAsync(frontId, front, lease);
        return _history.LastSeq;
    }

    public Task Unsubscribe(string frontId) => _fronts.RemoveAsync(frontId);

    /// <summary>
    /// Staff always; in a private conversation (<see cref="PrivateRoomIds"/>) its owner only, whatever the member list
    /// says; elsewhere anyone, or the listed members once the room has a list.
    /// </summary>
    private bool IsAdmitted(string userId, bool isStaff) =>
        isStaff || (PrivateRoomIds.OwnerOf(RoomId, options.Value.RoomPrivatePrefixList) is { } owner
            ? userId == owner
            : !state.State.Restricted || state.State.Allowed.Contains(userId));

    private void Notify(string kind, string userId)
    {
        foreach (var front in _fronts.Live())
        {
            _ = front.RoomEvent(RoomId, kind, userId);
        }
    }

    public Task Typing(string userId)
    {
        if (_typing.TryPass(userId))
        {
            foreach (var front in _fronts.Live())
            {
                _ = front.RoomTyping(RoomId, userId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<long?> MarkRead(string userId, long seq, string? originConnection)
    {
        if (!state.State.Members.Contains(userId))
        {
            return Task.FromResult<long?>(null);
        }

        if (_cursors.Advance(userId, Math.Min(seq, _history.LastSeq)))
        {
            if (!_cursorWriteDue)
            {
                // Not pushed back by later moves: a room read all the time is still written every second.
                _cursorWriteDue = true;
                _cursorWrite ??= this.RegisterGrainTimer(WriteCursorsAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
                _cursorWrite.Change(CursorWriteDelay, Timeout.InfiniteTimeSpan);
            }

            if (state.State.Members.Count <= MaxReceiptMembers)
            {
                foreach (var front in _fronts.Live())
                {
                    _ = front.RoomReceipt(RoomId, userId, _cursors.Of(userId), originConnection);
                }
            }
        }

        return Task.FromResult<long?>(_cursors.Of(userId));
    }

    public Task<IReadOnlyList<ReadCursor>> Readers() => Task.FromResult(_cursors.Of(state.State.Members));

    public Task<RoomSummary> Summary(string userId)
    {
        var last = _history.Read(PageRequest.Before(null, 1, int.MaxValue)).Messages;
        var lastMessage = last.Count > 0 ? last[0] : null;
        return Task.FromResult(new RoomSummary(RoomId, _history.LastSeq, UnreadFor(userId), lastMessage, _cursors.Of(userId)));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        await _cursors.FlushAsync(state.State.Members);

    private Task WriteCursorsAsync(CancellationToken cancellationToken)
    {
        _cursorWriteDue = false;
        return _cursors.FlushAsync(state.State.Members);
    }

    /// <summary>
    /// Messages after the user's cursor that others sent (one's own messages are read). Messages the history no longer
    /// holds count as unread whoever sent them.
    /// </summary>
    private long UnreadFor(string userId)
    {
        var cursor = _cursors.Of(userId);
        if (cursor >= _history.LastSeq)
        {
            return 0;
        }

        var first = _history.FirstSeq;
        var forgotten = Math.Max(0, first - cursor - 1);
        var kept = _history.Read(PageRequest.After(Math.Max(cursor, first - 1), int.MaxValue, int.MaxValue)).Messages;
        return forgotten + kept.Count(m => m.From != userId);
    }
}
