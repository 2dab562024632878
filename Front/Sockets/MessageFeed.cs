using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// One numbered stream on this front (a room's messages, or a user's inbox) on its way to the local sockets: put in seq
/// order by a <see cref="MessageSequencer"/>, gaps read from the <see cref="IMessageSource"/> completely (paged here, in
/// one place), and written in that order by an <see cref="OrderedFanout"/>. What the source no longer has reaches the
/// sockets as one <c>resync</c> frame in its place, so a gap is never skipped silently.
/// </summary>
internal sealed partial class MessageFeed : ISequencerHost, IDisposable
{
    /// <summary>Messages asked for per read while a gap is filled.</summary>
    public const int FillPage = 200;

    // Waits between the position checks after the front lost a gateway: the grain may need a few seconds (a silo
    // declared dead) before it answers again from another silo.
    private static readonly TimeSpan[] CheckRetries = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8)];

    private readonly IMessageSource _source;
    private readonly byte[] _resync;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly MessageSequencer _sequencer;
    private readonly OrderedFanout _fanout = new();
    private int _checking;

    /// <param name="name">The room or inbox, for logs.</param>
    /// <param name="resync">The frame that tells the sockets that messages were lost and they must recover on their own.</param>
    public MessageFeed(string name, IMessageSource source, byte[] resync, TimeProvider time, SequencerTiming timing, ILogger logger)
    {
        _name = name;
        _source = source;
        _resync = resync;
        _time = time;
        _logger = logger;
        _sequencer = new MessageSequencer(time, timing, this);
    }

    /// <summary>The last seq written to the sockets (or skipped with a resync).</summary>
    public long LastDelivered => _sequencer.LastDelivered;

    /// <summary>A message pushed to this front: serialized once, written in seq order.</summary>
    public void Accept(ChatMessage message, string? exceptConnection)
    {
        _sequencer.Accept(SequencedFrame.Of(message, exceptConnection));
        _fanout.Write();
    }

    /// <summary>Messages pushed together: each serialized once, all written in seq order.</summary>
    public void Accept(IReadOnlyList<PushedMessage> messages)
    {
        foreach (var pushed in messages)
        {
            _sequencer.Accept(SequencedFrame.Of(pushed.Message, pushed.ExceptConnection));
        }

        _fanout.Write();
    }

    /// <summary>
    /// A pending socket's join answered <paramref name="seq"/>: it gets <paramref name="joined"/> and then everything after
    /// <paramref name="seq"/>. False when this front cannot serve it from that seq (it started the room later): join again.
    /// </summary>
    public bool Join(SocketConnection socket, byte[] joined, long seq)
    {
        if (!_sequencer.Join(seq))
        {
            return false;
        }

        _fanout.Queue(g => g.Join(socket, joined, seq));
        _fanout.Write();
        return true;
    }

    /// <summary>
    /// The reader of an inbox is at <paramref name="seq"/> (its registration's answer): the first such answer starts the
    /// stream there, a later one shows what did not arrive. Returns the seq after which the sockets get every message:
    /// <paramref name="seq"/>, or the start when another socket's higher answer was handled first and started the stream
    /// above it (what lies between was dropped as already covered).
    /// </summary>
    public long StartAt(long seq)
    {
        var from = _sequencer.Join(seq) ? seq : Math.Max(seq, _sequencer.Start);
        _fanout.Write();
        return from;
    }

    /// <summary>The stream has reached <paramref name="seq"/> (a position, an ack, a registration): a gap if it did not arrive.</summary>
    public void Expect(long seq) => _sequencer.Expect(seq);

    /// <summary>A change of the sockets (join, leave) or a frame outside the seq order, in order with the messages.</summary>
    public void Change(Action<SocketGroup> change)
    {
        _fanout.Queue(change);
        _fanout.Write();
    }

    /// <summary>Queues a change without writing: for callers under a lock, who call <see cref="Write"/> after leaving it.</summary>
    public void Queue(Action<SocketGroup> change) => _fanout.Queue(change);

    /// <summary>Writes what is queued (see <see cref="OrderedFanout.Write"/>).</summary>
    public void Write() => _fanout.Write();

    /// <summary>
    /// Asks the source for its position now and, while it does not answer, again a few times over about 20 s: after the
    /// front lost a gateway, pushes may have been lost with it and the grain may be moving to another silo.
    /// </summary>
    public void CheckPositionUntilAnswered()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 0)
        {
            _ = CheckPositionWithRetriesAsync();
        }
    }

    public void Dispose() => _sequencer.Dispose();

    void ISequencerHost.Deliver(SequencedFrame message) => _fanout.Queue(g => g.Send(message.Seq, message.Frame, message.ExceptConnection, message.AcceptedAt));

    void ISequencerHost.Resync(long upTo)
    {
        LogResync(_logger, _name, upTo);
        _fanout.Queue(g => g.Send(upTo, _resync, null, acceptedAt: null));
    }

    void ISequencerHost.FillGap(long from, long to) => _ = FillAsync(from, to);

    void ISequencerHost.CheckPosition() => _ = CheckPositionAsync();

    /// <summary>Reads <paramref name="from"/>..<paramref name="to"/> page by page; what the source no longer keeps is reported lost.</summary>
    private async Task FillAsync(long from, long to)
    {
        var completed = false;
        try
        {
            var next = from;
            while (next <= to)
            {
                var page = (await _source.ReadAsync(next, FillPage)).Where(m => m.Seq >= next).ToList();
                if (page.Count == 0)
                {
                    // Nothing kept from here to the end of the page: trimmed from the history while it was missing.
                    var lost = Math.Min(to, next + FillPage - 1);
                    _sequencer.Lost(lost);
                    next = lost + 1;
                    continue;
                }

                if (page[0].Seq > next)
                {
                    _sequencer.Lost(page[0].Seq - 1);
                }

                foreach (var message in page)
                {
                    _sequencer.Accept(SequencedFrame.Of(message, null));
                }

                _fanout.Write();
                next = page[^1].Seq + 1;
            }

            completed = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFillFailed(_logger, _name, from, to, e.GetType().Name);
        }
        finally
        {
            _sequencer.FillEnded(completed);
            _fanout.Write();
        }
    }

    private async Task<bool> CheckPositionAsync()
    {
        try
        {
            _sequencer.Expect(await _source.PositionAsync());
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPositionFailed(_logger, _name, e.GetType().Name);
            return false;
        }
    }

    private async Task CheckPositionWithRetriesAsync()
    {
        try
        {
            foreach (var wait in CheckRetries)
            {
                if (await CheckPositionAsync())
                {
                    return;
                }

                await Task.Delay(wait, _time);
            }

            await CheckPositionAsync();
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stream}: messages up to seq {UpTo} could not be delivered; its sockets were told to recover (resync)")]
    private static partial void LogResync(ILogger logger, string stream, long upTo);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stream}: reading the missing seqs {From}..{To} failed ({Error}); trying again")]
    private static partial void LogFillFailed(ILogger logger, string stream, long from, long to, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Stream}: asking the latest seq failed ({Error})")]
    private static partial void LogPositionFailed(ILogger logger, string stream, string error);
}
