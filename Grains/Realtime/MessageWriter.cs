using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// Appends messages to a <see cref="MessageLog"/> with group commit. A message gets its seq at once (gap-free, in
/// arrival order) and waits for the write that stores it; messages that arrive while a write is in flight are written
/// together by the next one, so a hot room is not limited to one storage round trip per message. After each write its
/// group is handed on in seq order (pushed to fronts), and only then are its senders answered: the ack still comes
/// after the message is durable. At most <c>queueLimit</c> messages wait; more are refused with
/// <see cref="BusyException"/> before waiting would outlast the callers' timeouts.
/// </summary>
/// <remarks>
/// Lives inside one grain activation: its calls interleave at awaits but never run in parallel. A failed write stores
/// nothing of its group; the messages queued behind it fail too (their seqs follow the failed ones), and the seq goes
/// on from what is stored, so it stays gap-free.
/// </remarks>
internal sealed partial class MessageWriter(MessageLog log, int queueLimit, Action<IReadOnlyList<WaitingMessage>> stored, ILogger logger)
{
    private readonly Dictionary<string, WaitingMessage> _waitingKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _queuedBytesBySender = new(StringComparer.Ordinal);
    private List<WaitingMessage> _queued = [];
    private int _writing;
    private long _nextSeq = log.LastSeq + 1;

    /// <summary>The latest seq stored and handed on.</summary>
    public long LastSeq => log.LastSeq;

    /// <summary>Messages queued or being written.</summary>
    public int Waiting => _queued.Count + _writing;

    /// <summary>Bytes of <c>data</c> (<see cref="MessageLog.SizeOf"/>) of <paramref name="sender"/>'s messages queued behind the write in flight, which the log does not count yet.</summary>
    public long QueuedBytesFrom(string sender) => _queuedBytesBySender.GetValueOrDefault(sender);

    /// <summary>Whether a message with this client id's key is queued or being written (not yet stored).</summary>
    public bool IsWaiting(string? dedupKey) => dedupKey is not null && _waitingKeys.ContainsKey(dedupKey);

    /// <summary>
    /// Stores each message its <see cref="NewMessage.Create"/> makes with its seq, in order, and answers each seq once it
    /// is stored and handed on, with the message itself when the hand-on left it to the answer
    /// (<see cref="WaitingMessage.AnswerCarries"/>). A client id already accepted (stored, or waiting) answers the first
    /// seq with <c>Duplicate</c>. The messages are admitted or refused together: one sender's batch is never cut in two
    /// by the limit (it may take the queue past <c>queueLimit</c> by its own size). The write starts after the last is
    /// queued, so the batch goes in one write when none is in flight.
    /// </summary>
    /// <exception cref="BusyException">when <c>queueLimit</c> messages are waiting already and the batch holds a new one; none is taken.</exception>
    public Task<(long Seq, bool Duplicate, ChatMessage? Carried)>[] AppendAll(IReadOnlyList<NewMessage> messages)
    {
        // A retry of messages already accepted (stored, or still waiting for their write) is answered, even when full.
        if (!messages.All(m => IsWaiting(m.DedupKey) || (m.DedupKey is { } key && log.TryGetDuplicate(key, out _))))
        {
            ThrowIfFull();
        }

        // One after the other, so that a client id repeated in the batch finds its first copy waiting.
        var answers = new Task<(long Seq, bool Duplicate, ChatMessage? Carried)>[messages.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = DuplicateOf(messages[i].DedupKey) ?? AnsweredAsync(Enqueue(messages[i]));
        }

        StartWriting();
        return answers;
    }

    /// <summary>The answer for a client id already accepted (stored, or waiting for its write), or null for a new one.</summary>
    private Task<(long Seq, bool Duplicate, ChatMessage? Carried)>? DuplicateOf(string? dedupKey)
    {
        if (dedupKey is null)
        {
            return null;
        }

        if (_waitingKeys.TryGetValue(dedupKey, out var first))
        {
            return AnsweredAsDuplicateAsync(first);
        }

        return log.TryGetDuplicate(dedupKey, out var earlier) ? Task.FromResult<(long, bool, ChatMessage?)>((earlier, true, null)) : null;
    }

    /// <summary>Gives the message its seq and queues it for the next write.</summary>
    private WaitingMessage Enqueue(NewMessage message)
    {
        var waiting = new WaitingMessage(message.Create(_nextSeq++), message.DedupKey, message.OriginConnection, message.OriginFront);
        _queued.Add(waiting);
        CollectionsMarshal.GetValueRefOrAddDefault(_queuedBytesBySender, waiting.Message.From, out _) += MessageLog.SizeOf(waiting.Message);
        if (message.DedupKey is not null)
        {
            _waitingKeys[message.DedupKey] = waiting;
        }

        return waiting;
    }

    private static async Task<(long Seq, bool Duplicate, ChatMessage? Carried)> AnsweredAsync(WaitingMessage waiting)
    {
        await waiting.Stored.Task;
        return (waiting.Message.Seq, false, waiting.AnswerCarries ? waiting.Message : null);
    }

    private static async Task<(long Seq, bool Duplicate, ChatMessage? Carried)> AnsweredAsDuplicateAsync(WaitingMessage first)
    {
        await first.Stored.Task;
        return (first.Message.Seq, true, null);
    }

    private void StartWriting()
    {
        if (_writing == 0 && _queued.Count > 0)
        {
            _ = WriteQueuedAsync();
        }
    }

    private void ThrowIfFull()
    {
        if (Waiting >= queueLimit)
        {
            throw new BusyException($"{Waiting} messages are waiting for their write; retry with the same id");
        }
    }

    private async Task WriteQueuedAsync()
    {
        while (_queued.Count > 0)
        {
            var group = _queued;
            _queued = [];
            _queuedBytesBySender.Clear();
            _writing = group.Count;
            try
            {
                await log.AppendAsync(group.Select(w => (w.Message, w.DedupKey)).ToList());
            }
            catch (Exception e)
            {
                var behind = _queued;
                _queued = [];
                _queuedBytesBySender.Clear();
                _writing = 0;
                _nextSeq = log.LastSeq + 1;
                Finish(group, e);
                Finish(behind, e);
                return;
            }

            _writing = 0;
            try
            {
                stored(group);
            }
            catch (Exception e)
            {
                // The group is durable: its senders are answered, and readers recover what a push did not bring.
                LogHandOnFailed(logger, e);
            }

            Finish(group, null);
        }
    }

    private void Finish(List<WaitingMessage> group, Exception? failure)
    {
        foreach (var waiting in group)
        {
            if (waiting.DedupKey is not null)
            {
                _waitingKeys.Remove(waiting.DedupKey);
            }

            if (failure is null)
            {
                waiting.Stored.TrySetResult();
            }
            else
            {
                waiting.Stored.TrySetException(failure);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handing on stored messages failed")]
    private static partial void LogHandOnFailed(ILogger logger, Exception exception);
}

/// <summary>A message for <see cref="MessageWriter.AppendAll"/>: how to make it from its seq, its client id's key, and where it came from.</summary>
internal readonly record struct NewMessage(Func<long, ChatMessage> Create, string? DedupKey, string? OriginConnection, string? OriginFront = null);
