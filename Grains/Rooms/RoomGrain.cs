using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
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
    [PersistentState("room", StreamNames.RealtimeStorage)] IPersistentState<RoomState> state,
    [PersistentState("history-tail", StreamNames.RealtimeStorage)] IPersistentState<MessageLogSegment> historyTail,
    [PersistentState("history", StreamNames.RealtimeStorage)] IPersistentState<MessageLogSegment> historyArchive,
    [PersistentState("fronts", StreamNames.RealtimeStorage)] IPersistentState<RegisteredFronts> subscribedFronts,
    IOptions<RealtimeOptions> options,
    TimeProvider time,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    private FrontRegistrations _fronts = null!;
    private MessageLog _history = null!;
    private MessageWriter _writer = null!;

    private string RoomId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _history = new MessageLog(historyTail, historyArchive, options.Value.RoomHistorySize, options.Value.DedupWindow);
        _writer = new MessageWriter(_history, options.Value.WriteQueueLimit, Push, logger);
        _fronts = new FrontRegistrations(subscribedFronts, time);
        return Task.CompletedTask;
    }

    public async Task<SendResult?> Post(OutgoingMessage message, bool senderIsStaff)
    {
        if (!IsAdmitted(message.From, senderIsStaff))
        {
            return null;
        }

        var key = message.ClientId is null ? null : MessageLog.KeyOf(message.From, message.ClientId);
        var (seq, duplicate) = await _writer.AppendAsync(
            seq => new ChatMessage(RoomId, seq, message.From, message.ClientId, message.Data, time.GetUtcNow(), null), key, message.OriginConnection);
        return new SendResult(seq, duplicate, Online: false);
    }

    /// <summary>One push per subscribed front for each stored group, and its events in one publish (not awaited: the acks wait for neither).</summary>
    private void Push(IReadOnlyList<WaitingMessage> group)
    {
        var pushed = group.Select(w => new PushedMessage(w.Message, w.OriginConnection)).ToList();
        foreach (var front in _fronts.Live())
        {
            _ = front.RoomMessages(pushed);
        }

        _ = this.PublishAsync(group.Select(w => new RealtimeEvent(RealtimeEventKinds.Message, w.Message.From, RoomId, null, w.Message, w.Message.Ts)).ToList(), logger);
    }

    public async Task<JoinResult> Join(string userId, bool isStaff, long? since)
    {
        if (!IsAdmitted(userId, isStaff))
        {
            return new JoinResult(false, 0, false, [], []);
        }

        if (state.State.Members.Add(userId))
        {
            await state.WriteStateAsync();
            _ = GrainFactory.GetGrain<IUserGrain>(userId).TrackRoom(RoomId, member: true);
            Notify(RealtimeEventKinds.UserJoined, userId);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserJoined, userId, RoomId, null, null, time.GetUtcNow()), logger);
        }

        var seq = _history.LastSeq;
        IReadOnlyList<ChatMessage> replay = [];
        var recovered = true;
        if (since is { } after)
        {
            var kept = _history.Messages();
            replay = kept.Where(m => m.Seq > after).ToList();
            var oldestKept = kept.Count > 0 ? kept[0].Seq : seq + 1;
            recovered = after >= seq || oldestKept <= after + 1;
        }

        return new JoinResult(true, seq, recovered, replay, await Presence());
    }

    public async Task Leave(string userId)
    {
        if (state.State.Members.Remove(userId))
        {
            await state.WriteStateAsync();
            _ = GrainFactory.GetGrain<IUserGrain>(userId).TrackRoom(RoomId, member: false);
            Notify(RealtimeEventKinds.UserLeft, userId);
            await this.PublishAsync(new RealtimeEvent(RealtimeEventKinds.UserLeft, userId, RoomId, null, null, time.GetUtcNow()), logger);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> History(long? before, int limit)
    {
        var bound = before ?? long.MaxValue;
        var older = _history.Messages().Where(m => m.Seq < bound).ToList();
        IReadOnlyList<ChatMessage> page = older.Skip(Math.Max(0, older.Count - limit)).ToList();
        return Task.FromResult(page);
    }

    public async Task<IReadOnlyList<MemberPresence>> Presence()
    {
        var members = state.State.Members.Order(StringComparer.Ordinal).ToList();
        var presences = await Task.WhenAll(members.Select(m => GrainFactory.GetGrain<IUserGrain>(m).Presence()));
        return members.Select((m, i) => new MemberPresence(m, presences[i].Online)).ToList();
    }

    public Task<bool> Admits(string userId, bool isStaff) => Task.FromResult(IsAdmitted(userId, isStaff));

    public async Task AllowMember(string userId)
    {
        if (!state.State.Restricted || state.State.Allowed.Add(userId))
        {
            state.State.Restricted = true;
            state.State.Allowed.Add(userId);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveMember(string userId)
    {
        var changed = !state.State.Restricted | state.State.Allowed.Remove(userId) | state.State.Members.Remove(userId);
        state.State.Restricted = true;
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
        if (state.State.Members.Contains(userId))
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

    private bool IsAdmitted(string userId, bool isStaff) => !state.State.Restricted || isStaff || state.State.Allowed.Contains(userId);

    private void Notify(string kind, string userId)
    {
        foreach (var front in _fronts.Live())
        {
            _ = front.RoomEvent(RoomId, kind, userId);
        }
    }
}
