namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Puts one numbered stream (a room's messages, or a user's inbox) back into seq order on this front, and makes sure
/// nothing is skipped silently. Pushes can overtake each other on their way here, so a message ahead of a missing seq
/// is held; when the missing one has not come after <see cref="SequencerTiming.GapWait"/>, the whole gap is read from
/// the source (<see cref="ISequencerHost.FillGap"/>). A gap that opens while a fill runs gets its own wait and fill.
/// Only what the source no longer has, or what it does not give within <see cref="SequencerTiming.GiveUpAfter"/>, is
/// skipped, and then the host is told (<see cref="ISequencerHost.Resync"/>) so the sockets can recover. Lost pushes at
/// the end of a burst leave no later message to show the gap: once the stream has been quiet for
/// <see cref="SequencerTiming.PositionCheckDelay"/> after a delivery, the host asks the source's latest seq once.
/// </summary>
/// <remarks>
/// Thread-safe. The host's <see cref="ISequencerHost.Deliver"/> and <see cref="ISequencerHost.Resync"/> run under
/// this object's lock (so their order is the seq order), the requests to the source outside it.
/// </remarks>
internal sealed class MessageSequencer : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly SequencerTiming _timing;
    private readonly ISequencerHost _host;

    // Messages that came ahead of a missing seq (or before the first join), by seq.
    private readonly SortedDictionary<long, SequencedFrame> _held = [];
    private ITimer? _gapTimer;
    private ITimer? _positionTimer;

    // Whether a reader joined: until then the next seq is not known and everything is held.
    private bool _started;
    private long _start;
    private long _last;

    // The highest seq known to exist (a push, a join, a position, an ack); above _last means a gap.
    private long _known;
    private bool _filling;
    private long _gapDue;
    private bool _gapArmed;
    private int _failedFills;
    private long _failingSince;
    private long _lastDelivery;
    private bool _positionArmed;
    private bool _disposed;

    public MessageSequencer(TimeProvider time, SequencerTiming timing, ISequencerHost host)
    {
        _time = time;
        _timing = timing;
        _host = host;
    }

    /// <summary>The last seq handed on (delivered or skipped with a resync); 0 before the first join.</summary>
    public long LastDelivered
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    /// <summary>The seq the first join started the stream at: its readers get every message after it (0 before).</summary>
    public long Start
    {
        get
        {
            lock (_lock)
            {
                return _start;
            }
        }
    }

    /// <summary>
    /// A reader joined at <paramref name="seq"/> (it has everything up to it). The first join starts the stream there;
    /// a later one below that start cannot be served from its seq (what lies between was never held), and the answer
    /// is false: the reader should join again.
    /// </summary>
    public bool Join(long seq)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            if (_started)
            {
                if (seq < _start)
                {
                    return false;
                }

                ExpectLocked(seq);
                return true;
            }

            _started = true;
            _start = _last = seq;
            _known = Math.Max(_known, seq);
            DropHeldUpToLocked(seq);
            ReleaseLocked();
            NoteDeliveryLocked();
            CheckGapLocked();
            return true;
        }
    }

    /// <summary>A pushed or read message: delivered when it is next, held when it is ahead, dropped when already handed on.</summary>
    public void Accept(SequencedFrame message)
    {
        lock (_lock)
        {
            if (_disposed || (_started && message.Seq <= _last))
            {
                return;
            }

            _known = Math.Max(_known, message.Seq);
            if (_started && message.Seq == _last + 1)
            {
                DeliverLocked(message);
                ReleaseLocked();
            }
            else if (_held.TryAdd(message.Seq, message) && _held.Count > _timing.MaxHeld)
            {
                if (_started)
                {
                    GiveUpLocked();
                }
                else
                {
                    // Nobody joined yet, so nobody misses it: the oldest goes.
                    _held.Remove(FirstHeld());
                }
            }

            CheckGapLocked();
        }
    }

    /// <summary>The source has reached <paramref name="seq"/> (its position, or the seq of an ack): a gap if not delivered yet.</summary>
    public void Expect(long seq)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                ExpectLocked(seq);
            }
        }
    }

    /// <summary>
    /// The source no longer has the seqs up to <paramref name="upTo"/>: the host is told, and the stream goes on after them.
    /// Messages held here in that range are not lost: only the missing seqs between them are skipped, each run with its
    /// own resync, and the held ones are delivered in their places.
    /// </summary>
    public void Lost(long upTo)
    {
        lock (_lock)
        {
            while (!_disposed && _started && upTo > _last)
            {
                SkipLocked(_held.Count > 0 ? Math.Min(upTo, FirstHeld() - 1) : upTo);
            }
        }
    }

    /// <summary>
    /// A fill asked for with <see cref="ISequencerHost.FillGap"/> ended: <paramref name="completed"/> when the source
    /// answered for the whole range. After a failure the gap is tried again, later each time, and given up (with a
    /// resync) once the source has failed for <see cref="SequencerTiming.GiveUpAfter"/>.
    /// </summary>
    public void FillEnded(bool completed)
    {
        lock (_lock)
        {
            _filling = false;
            if (_disposed)
            {
                return;
            }

            if (completed)
            {
                _failedFills = 0;
            }
            else if (_failedFills++ == 0)
            {
                _failingSince = _time.GetTimestamp();
            }
            else if (_time.GetElapsedTime(_failingSince) >= _timing.GiveUpAfter && _known > _last)
            {
                _failedFills = 0;
                GiveUpLocked();
            }

            CheckGapLocked();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _held.Clear();
            _gapTimer?.Dispose();
            _positionTimer?.Dispose();
        }
    }

    private void ExpectLocked(long seq)
    {
        _known = Math.Max(_known, seq);
        CheckGapLocked();
    }

    private void DeliverLocked(SequencedFrame message)
    {
        _host.Deliver(message);
        _last = message.Seq;
        NoteDeliveryLocked();
    }

    /// <summary>Delivers the held messages that now follow on without a gap, and drops those already covered.</summary>
    private void ReleaseLocked()
    {
        while (_held.Count > 0)
        {
            var seq = FirstHeld();
            if (seq > _last + 1)
            {
                return;
            }

            _held.Remove(seq, out var message);
            if (seq == _last + 1)
            {
                DeliverLocked(message!);
            }
        }
    }

    private void SkipLocked(long upTo)
    {
        _host.Resync(upTo);
        _last = upTo;
        _known = Math.Max(_known, upTo);
        DropHeldUpToLocked(upTo);
        ReleaseLocked();
    }

    /// <summary>Skips the first gap: up to the first held message, or to the highest known seq when none is held.</summary>
    private void GiveUpLocked() => SkipLocked(_held.Count > 0 ? FirstHeld() - 1 : _known);

    private void DropHeldUpToLocked(long seq)
    {
        while (_held.Count > 0 && FirstHeld() <= seq)
        {
            _held.Remove(FirstHeld());
        }
    }

    private long FirstHeld()
    {
        using var first = _held.Keys.GetEnumerator();
        first.MoveNext();
        return first.Current;
    }

    /// <summary>Arms the gap timer while a gap is open and no fill runs; failed fills wait longer each time.</summary>
    private void CheckGapLocked()
    {
        if (!_started || _filling)
        {
            return;
        }

        if (_known <= _last)
        {
            _failedFills = 0;
            if (_gapArmed)
            {
                _gapArmed = false;
                _gapTimer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        if (_gapArmed)
        {
            return;
        }

        var wait = _failedFills == 0
            ? _timing.GapWait
            : TimeSpan.FromTicks(Math.Min(_timing.GapWait.Ticks << Math.Min(_failedFills, 16), _timing.LongestRetry.Ticks));
        _gapArmed = true;
        _gapDue = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        _gapTimer ??= _time.CreateTimer(static s => ((MessageSequencer)s!).OnGapTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _gapTimer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private void OnGapTimer()
    {
        long from, to;
        lock (_lock)
        {
            if (_disposed || !_gapArmed)
            {
                return;
            }

            var early = _gapDue - _time.GetTimestamp();
            if (early > 0)
            {
                // A timer may fire a little before its due time on a coarser clock: wait the rest.
                _gapTimer!.Change(TimeSpan.FromSeconds((double)early / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            _gapArmed = false;
            if (_filling || _known <= _last)
            {
                return;
            }

            _filling = true;
            (from, to) = (_last + 1, _known);
        }

        _host.FillGap(from, to);
    }

    /// <summary>Remembers the time of the last delivery and arms the one position check that follows a quiet period.</summary>
    private void NoteDeliveryLocked()
    {
        _lastDelivery = _time.GetTimestamp();
        if (_positionArmed)
        {
            return;
        }

        _positionArmed = true;
        _positionTimer ??= _time.CreateTimer(static s => ((MessageSequencer)s!).OnPositionTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _positionTimer.Change(_timing.PositionCheckDelay, Timeout.InfiniteTimeSpan);
    }

    private void OnPositionTimer()
    {
        lock (_lock)
        {
            if (_disposed || !_positionArmed)
            {
                return;
            }

            var quiet = _time.GetElapsedTime(_lastDelivery);
            if (quiet < _timing.PositionCheckDelay)
            {
                // Deliveries went on: check once the stream has been quiet for the whole delay.
                _positionTimer!.Change(_timing.PositionCheckDelay - quiet, Timeout.InfiniteTimeSpan);
                return;
            }

            _positionArmed = false;
        }

        _host.CheckPosition();
    }
}
