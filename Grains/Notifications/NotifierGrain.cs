using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Telemetry;

namespace WeDrawOS.Grains.Notifications;

/// <summary>
/// A recipient's outbox. Enqueue persists before it answers; a grain timer starts the most overdue notification's
/// send on the thread pool and ends its turn, so no call waits on the network; when the send finishes, the next timer
/// turn records its outcome. One send per outbox is in flight at a time (a recipient's notifications leave in order,
/// and none is sent twice at once). A reminder wakes the outbox while anything is pending, so retries go on after
/// the silo that held it died, or stopped: a silo that is stopping starts no send. Transient failures back off
/// exponentially; permanent ones are final.
/// </summary>
public sealed partial class NotifierGrain : Grain, INotifierGrain, IRemindable
{
    private const string ReminderName = "notifier-pending";
    private static readonly TimeSpan SendTimeout = TimeSpan.FromMinutes(2);

    private readonly IPersistentState<NotifierState> _state;
    private readonly IEnumerable<INotificationSender> _senders;
    private readonly NotificationOptions _options;
    private readonly NotificationQueueGauge _gauge;
    private readonly NotificationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly ILogger<NotifierGrain> _logger;
    private NotifierKey? _key;
    private INotificationSender? _sender;
    private IGrainTimer? _timer;
    private IGrainReminder? _reminder;
    private InFlightSend? _inFlight;
    private int _countedPending;

    public NotifierGrain(
        [PersistentState("notifier")] IPersistentState<NotifierState> state,
        IEnumerable<INotificationSender> senders,
        IOptions<NotificationOptions> options,
        NotificationQueueGauge gauge,
        NotificationMetrics metrics,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<NotifierGrain> logger)
    {
        _stopping = lifetime.ApplicationStopping;
        _state = state;
        _senders = senders;
        _options = options.Value;
        _gauge = gauge;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    private List<StoredNotification> Items => _state.State.Items;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (NotifierKey.TryParse(this.GetPrimaryKeyString(), out var key))
        {
            _key = key;
            _sender = _senders.FirstOrDefault(s => s.Channel == key.Value.Channel);
        }

        _timer = this.RegisterGrainTimer(DeliverNextAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        if (Items.Any(i => i.IsPending))
        {
            // Whatever was "sending" when the previous activation died was not confirmed: it is due again.
            foreach (var item in Items.Where(i => i.Status == NotificationStates.Sending))
            {
                item.Status = item.Attempts > 0 ? NotificationStates.Retrying : NotificationStates.Queued;
            }

            _reminder = await this.GetReminder(ReminderName);
            await EnsureReminderAsync();
            ArmTimer();
        }

        UpdateGauge();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_inFlight is { } send)
        {
            // The next activation must not send this notification again while this attempt runs: wait for it (a
            // shutdown has cancelled it already; otherwise it is cut short when Orleans' deactivation time runs
            // out), and record its outcome.
            await using (cancellationToken.Register(static cancel => ((CancellationTokenSource)cancel!).Cancel(), send.Cancel))
            {
                await send.Outcome;
            }

            await RecordOutcomeAsync(send);
        }

        _gauge.Add(-_countedPending);
        ChannelPendingChanged(-_countedPending);
        _countedPending = 0;
    }

    public async Task<NotificationRecord> Enqueue(NotificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = _key ?? throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a notifier key");
        if (string.IsNullOrWhiteSpace(request.Kind))
        {
            throw new ArgumentException("a notification needs a kind");
        }

        if (_sender?.Validate(key.Recipient, request) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        if (Items.Count(i => i.IsPending) >= _options.PendingLimit)
        {
            throw new OutboxFullException($"this recipient already has {_options.PendingLimit} notifications waiting");
        }

        var now = _time.GetUtcNow();
        var item = new StoredNotification
        {
            Id = NotificationIds.New(),
            Kind = request.Kind,
            Fields = new Dictionary<string, string>(request.Fields ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            Language = request.Language ?? "",
            PreferredProvider = request.Provider,
            Status = NotificationStates.Queued,
            CreatedAt = now,
            NextAttemptAt = now,
            TraceParent = Activity.Current?.Id,
        };

        // The index first: a notification the caller holds an id for must be findable by that id.
        await GrainFactory.GetGrain<INotificationIndexGrain>(item.Id).Register(key.ToString());
        Items.Add(item);
        var dropped = TrimHistory();
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            Items.Remove(item);
            throw;
        }

        ForgetDropped(dropped);
        UpdateGauge();
        await EnsureReminderAsync();
        ArmTimer();
        LogQueued(item.Id, item.Kind);
        return item.ToRecord(key);
    }

    public Task<NotificationRecord?> Get(string id)
    {
        var item = _key is null ? null : Items.FirstOrDefault(i => i.Id == id);
        return Task.FromResult(item?.ToRecord(_key!.Value));
    }

    public Task<IReadOnlyList<NotificationRecord>> History(int limit)
    {
        if (_key is not { } key)
        {
            return Task.FromResult<IReadOnlyList<NotificationRecord>>([]);
        }

        var count = Math.Clamp(limit, 0, Items.Count);
        IReadOnlyList<NotificationRecord> newestFirst = Items.AsEnumerable().Reverse().Take(count).Select(i => i.ToRecord(key)).ToArray();
        return Task.FromResult(newestFirst);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (Items.Any(i => i.IsPending))
        {
            ArmTimer();
        }
        else
        {
            await RemoveReminderAsync();
        }
    }

    /// <summary>
    /// Records the outcome of the send that finished, then starts the most overdue notification's send. The send
    /// runs outside the turn, so calls to this outbox are answered meanwhile.
    /// </summary>
    private async Task DeliverNextAsync(CancellationToken cancellationToken)
    {
        if (_inFlight is { } send)
        {
            if (!send.Outcome.IsCompleted)
            {
                // Its completion arms the timer again.
                ArmTimer();
                return;
            }

            await RecordOutcomeAsync(send);
        }

        StartNextSend();
        ArmTimer();
    }

    private void StartNextSend()
    {
        if (_stopping.IsCancellationRequested)
        {
            // The shutdown would cancel the send at once, yet it would count as an attempt (and could use up a
            // notification's last one): it stays due, and the reminder resumes it on the silo that takes the outbox over.
            return;
        }

        var now = _time.GetUtcNow();
        var item = Items.Where(i => i.IsPending && i.NextAttemptAt <= now).MinBy(i => i.NextAttemptAt);
        if (item is null || _key is not { } key)
        {
            return;
        }

        item.Status = NotificationStates.Sending;
        item.Attempts++;
        var outgoing = new OutgoingNotification(item.Id, key.Recipient, item.Kind, item.Fields, item.Language, item.PreferredProvider);
        var sender = _sender;
        var traceParent = item.TraceParent;
        var attempt = item.Attempts;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        var outcome = Task.Run(() => SendAsync(sender, key, outgoing, traceParent, attempt, cancel.Token), CancellationToken.None);
        _inFlight = new InFlightSend(key, item, outcome, cancel);

        // On the activation's scheduler, so the timer is touched only there; the tick that follows is a normal turn.
        _ = outcome.ContinueWith(_ => ArmTimer(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);
    }

    /// <summary>Applies a finished send's outcome and persists it (attempts were counted when it started).</summary>
    private async Task RecordOutcomeAsync(InFlightSend send)
    {
        _inFlight = null;
        var outcome = await send.Outcome;
        send.Cancel.Dispose();
        Apply(send.Item, outcome);
        _metrics.Attempted(send.Key.Channel, send.Item.Status);

        var dropped = TrimHistory();
        try
        {
            await _state.WriteStateAsync();
            ForgetDropped(dropped);
        }
        catch (Exception e)
        {
            // The outcome stays in memory and is written with the next change; after a crash the reminder
            // sends again, so a notification may arrive twice but is never lost.
            LogPersistFailed(e, send.Item.Id);
        }

        UpdateGauge();
        if (Items.Any(i => i.IsPending))
        {
            await EnsureReminderAsync();
        }
        else
        {
            await RemoveReminderAsync();
        }
    }

    /// <summary>One attempt, on the thread pool. Never throws: whatever goes wrong is a transient outcome.</summary>
    private async Task<SendOutcome> SendAsync(
        INotificationSender? sender, NotifierKey key, OutgoingNotification outgoing, string? traceParent, int attempt, CancellationToken cancellationToken)
    {
        if (sender is null)
        {
            return SendOutcome.Permanent(null, $"no sender is configured for the {key.Channel.ToString().ToLowerInvariant()} channel");
        }

        using var activity = WeDrawOSTracing.Source.StartActivity(key.Channel == NotificationChannel.Email ? "notify email" : "notify sms", ActivityKind.Internal, traceParent);
        activity?.SetTag("wedrawos.notification.id", outgoing.Id);
        activity?.SetTag("wedrawos.notification.attempt", attempt);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            return await sender.SendAsync(outgoing, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var reason = !cancellationToken.IsCancellationRequested ? "the send timed out"
                : _stopping.IsCancellationRequested ? "the send was interrupted by a shutdown"
                : "the send was interrupted when the outbox was deactivated";
            return SendOutcome.Transient(null, reason);
        }
        catch (Exception e)
        {
            LogSenderThrew(e, outgoing.Id);
            return SendOutcome.Transient(null, "the sender failed unexpectedly: " + e.GetType().Name);
        }
    }

    private void Apply(StoredNotification item, SendOutcome outcome)
    {
        var now = _time.GetUtcNow();
        item.Provider = outcome.Provider ?? item.Provider;
        switch (outcome.Kind)
        {
            case SendResult.Sent:
                item.Status = NotificationStates.Sent;
                item.SentAt = now;
                item.ProviderMessageId = outcome.ProviderMessageId;
                item.Error = null;
                Finish(item);
                LogSent(item.Id, item.Attempts);
                break;
            case SendResult.Transient when item.Attempts < _options.MaxAttempts:
                item.Status = NotificationStates.Retrying;
                item.Error = outcome.Error;
                item.NextAttemptAt = now + _options.RetryDelay(item.Attempts, outcome.RetryAfter);
                LogRetrying(item.Id, item.Attempts, item.NextAttemptAt.Value);
                break;
            case SendResult.Transient:
                item.Status = NotificationStates.Failed;
                item.Error = $"gave up after {item.Attempts} attempts: {outcome.Error}";
                Finish(item);
                LogFailed(item.Id, item.Attempts);
                break;
            default:
                item.Status = NotificationStates.Failed;
                item.Error = outcome.Error;
                Finish(item);
                LogFailed(item.Id, item.Attempts);
                break;
        }
    }

    /// <summary>A finished notification keeps its outcome but not its content (codes and tokens are not kept).</summary>
    private static void Finish(StoredNotification item)
    {
        item.NextAttemptAt = null;
        item.Fields = [];
    }

    /// <summary>Drops the oldest finished notifications beyond the history limit; pending ones are never dropped.</summary>
    private List<string> TrimHistory()
    {
        var dropped = new List<string>();
        var finished = Items.Count(i => !i.IsPending);
        for (var index = 0; finished > _options.HistoryLimit && index < Items.Count;)
        {
            if (Items[index].IsPending)
            {
                index++;
                continue;
            }

            dropped.Add(Items[index].Id);
            Items.RemoveAt(index);
            finished--;
        }

        return dropped;
    }

    private void ForgetDropped(List<string> dropped)
    {
        foreach (var id in dropped)
        {
            // One-way: the index is a convenience for lookups and must not hold up the outbox.
            _ = GrainFactory.GetGrain<INotificationIndexGrain>(id).Forget();
        }
    }

    private void ArmTimer()
    {
        if (_inFlight is { } send)
        {
            // One send at a time: the next waits for this one's outcome.
            _timer?.Change(send.Outcome.IsCompleted ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // A stopping silo starts no send (see StartNextSend), so there is nothing to wake up for.
        var next = _stopping.IsCancellationRequested ? null : Items.Where(i => i.IsPending && i.NextAttemptAt is not null).Min(i => i.NextAttemptAt);
        if (next is null)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = next.Value - _time.GetUtcNow();
        _timer?.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private async Task EnsureReminderAsync()
    {
        if (_reminder is not null)
        {
            return;
        }

        try
        {
            _reminder = await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
        }
        catch (Exception e)
        {
            // The timer still delivers while this activation lives; the next change tries the reminder again.
            LogReminderFailed(e);
        }
    }

    private async Task RemoveReminderAsync()
    {
        try
        {
            // Also after a reminder tick in an activation that never registered it (the silo that did is gone).
            var reminder = _reminder ?? await this.GetReminder(ReminderName);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminder = null;
        }
        catch (Exception e)
        {
            // A stray reminder only wakes an empty outbox, which removes it then.
            LogReminderFailed(e);
        }
    }

    private void UpdateGauge()
    {
        var pending = Items.Count(i => i.IsPending);
        _gauge.Add(pending - _countedPending);
        ChannelPendingChanged(pending - _countedPending);
        _countedPending = pending;
    }

    private void ChannelPendingChanged(int delta)
    {
        if (_key is { } key)
        {
            _metrics.PendingChanged(key.Channel, delta);
        }
    }

    /// <summary>The send started for <see cref="Item"/>: it is the only notification of this outbox with status <c>sending</c>.</summary>
    private sealed record InFlightSend(NotifierKey Key, StoredNotification Item, Task<SendOutcome> Outcome, CancellationTokenSource Cancel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {Id} ({Kind}) queued")]
    private partial void LogQueued(string id, string kind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {Id} sent after {Attempts} attempt(s)")]
    private partial void LogSent(string id, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id} failed transiently (attempt {Attempts}); next attempt at {NextAttempt:o}")]
    private partial void LogRetrying(string id, int attempts, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} failed after {Attempts} attempt(s)")]
    private partial void LogFailed(string id, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sender threw while sending notification {Id}")]
    private partial void LogSenderThrew(Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not persist the outcome of notification {Id}; it is kept in memory and written with the next change")]
    private partial void LogPersistFailed(Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the outbox reminder")]
    private partial void LogReminderFailed(Exception exception);
}
