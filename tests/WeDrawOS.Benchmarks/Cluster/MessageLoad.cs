using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Rooms of members spread over a system's servers, every member also a sender. Each step sends messages at a fixed
/// rate, open-loop: message <c>n</c> leaves at its scheduled time whatever the answers to earlier ones, to a room and from
/// a member drawn by a fixed hash of <c>n</c>. (Round-robin would keep every room at the same message count, so that
/// periodic work per room, such as folding a log's tail, would fall on all rooms at once.) Latency runs from the scheduled time (so a late client or a queue
/// in front of the system is charged, not hidden) to the arrival at each other member. A <c>busy</c> answer is retried
/// with the same id after a short back-off. Every acked message is checked against every member's arrivals.
/// </summary>
public sealed class MessageLoad : IRecordSink, IAsyncDisposable
{
    private const int MaxSteps = 1024;
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMilliseconds(320);

    private readonly ISystemUnderTest _system;
    private readonly IRealtimeProtocol _protocol;
    private readonly int _servers;
    private readonly string[] _rooms;
    private readonly LoadSocket[][] _members;
    private readonly LoadStep?[] _steps = new LoadStep?[MaxSteps];
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private int _stepCount;
    private long _strays;

    private MessageLoad(ISystemUnderTest system, string[] rooms, LoadSocket[][] members)
    {
        _system = system;
        _protocol = system.Protocol;
        _servers = system.Servers;
        _rooms = rooms;
        _members = members;
    }

    /// <summary>Members of a room other than the sender: the deliveries each message owes.</summary>
    public int Receivers => _members[0].Length - 1;

    /// <summary>
    /// Connects <paramref name="members"/> sockets to each of <paramref name="rooms"/> rooms and joins them; a room's
    /// members alternate between the servers, so every room spans them all.
    /// </summary>
    public static async Task<MessageLoad> ConnectAsync(ISystemUnderTest system, string roomPrefix, int rooms, int members, CancellationToken cancellationToken)
    {
        if (members is < 2 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(members), members, "a room needs 2 to 32 members (one bit each in a delivery mask)");
        }

        var names = Enumerable.Range(0, rooms).Select(r => roomPrefix + r.ToString(CultureInfo.InvariantCulture)).ToArray();
        var sockets = names.Select((_, r) => Enumerable.Range(0, members).Select(m => new LoadSocket(system.Protocol, r, m)).ToArray()).ToArray();
        var load = new MessageLoad(system, names, sockets);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(sockets.SelectMany(s => s), parallel, async (socket, token) =>
            {
                var user = $"{names[socket.Room]}-m{socket.Member}";
                await socket.OpenAsync(system.SocketUri(load.ServerOf(socket.Room, socket.Member), user), token);
                await socket.JoinAsync(names[socket.Room], token);
                socket.Attach(load);
            });
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }

        return load;
    }

    /// <summary>
    /// Sends <paramref name="rate"/> messages a second for <paramref name="duration"/>, then waits (up to
    /// <paramref name="drainLimit"/>) until every message is answered and every acked one has reached every member.
    /// A delivery that has not happened by then counts as infinitely late in the step's percentiles.
    /// </summary>
    public async Task<LoadStepResult> RunStepAsync(double rate, TimeSpan duration, TimeSpan drainLimit, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        var id = Interlocked.Increment(ref _stepCount) - 1;
        var step = new LoadStep(id, rate, count, Stopwatch.GetTimestamp() + (long)(StartLead.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref _steps[id], step);
        var posts = await _system.PostCountsAsync(cancellationToken);
        var cpu = new LoadProcess();
        var serversCpu = _system.ServersProcessorTime();
        for (var next = 0; next < count;)
        {
            for (var due = step.DueBy(Stopwatch.GetTimestamp()); next < due; next++)
            {
                Volatile.Write(ref step.States[next], LoadStep.Sent);
                Send(step, next, lag: step.SendLag);
            }

            if (next < count)
            {
                // About a millisecond on Linux: sends go out in small batches, each stamped with its own scheduled time.
                await Task.Delay(1, cancellationToken);
            }
        }

        var settled = await WaitSettledAsync([step], drainLimit, cancellationToken);
        var (clientCpu, stepServersCpu) = (cpu.CpuShare, _system.ServersProcessorTime() - serversCpu);
        var sendsPerCall = posts is { } before && await _system.PostCountsAsync(cancellationToken) is { } after ? after.SendsPerCallSince(before) : null;
        return Summarize(step, settled, clientCpu, stepServersCpu, sendsPerCall);
    }

    /// <summary>Waits (up to <paramref name="limit"/>) for late answers and deliveries of every step, then counts what was lost.</summary>
    public async Task<LoadLoss> CountLossAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var steps = Steps().ToList();
        await WaitSettledAsync(steps, limit, cancellationToken);
        long sent = 0, acked = 0, unacked = 0, lostMessages = 0, lostDeliveries = 0, busies = 0, duplicates = 0, onSendersServer = 0, onOtherServer = 0;
        foreach (var step in steps)
        {
            busies += Interlocked.Read(ref step.Busies);
            duplicates += Interlocked.Read(ref step.Duplicates);
            for (var n = 0; n < step.Count; n++)
            {
                var state = Volatile.Read(ref step.States[n]);
                sent += state == 0 ? 0 : 1;
                if (state != LoadStep.Acked)
                {
                    unacked += state == 0 ? 0 : 1;
                    continue;
                }

                acked++;
                var missed = Expected(n) & ~Volatile.Read(ref step.Delivered[n]);
                if (missed == 0)
                {
                    continue;
                }

                lostMessages++;
                lostDeliveries += BitOperations.PopCount((uint)missed);
                var servers = Enumerable.Range(0, _members[0].Length).Where(m => (missed & (1 << m)) != 0).Select(m => ServerOf(RoomOf(n), m)).Distinct().ToList();
                if (servers is [var only] && only == ServerOf(RoomOf(n), SenderOf(n)))
                {
                    onSendersServer++;
                }
                else if (servers.Count == 1)
                {
                    onOtherServer++;
                }
            }
        }

        var closed = _members.Sum(room => room.Count(socket => !socket.IsOpen));
        return new LoadLoss(sent, acked, unacked, lostMessages, lostDeliveries, onSendersServer, onOtherServer, busies, duplicates,
            Interlocked.Read(ref _strays), closed, _errors.ToDictionary(e => e.Key, e => e.Value));
    }

    public void OnRecord(LoadSocket socket, ReadOnlySpan<byte> record)
    {
        if (FrameFields.TryGetNumber(record, LoadPayload.NumberKey, out var number))
        {
            Delivered(socket, record, number);
            return;
        }

        var reply = _protocol.ReadReply(record);
        if (reply.Kind == SendReplyKind.None)
        {
            return;
        }

        var step = reply.Id is { Step: >= 0 and < MaxSteps, Number: >= 0 } id && Volatile.Read(ref _steps[id.Step]) is { } s && id.Number < s.Count ? s : null;
        if (step is null)
        {
            // An answer that names no message of this load: only errors can be like that (e.g. a frame refused unread).
            if (reply.Kind != SendReplyKind.Ack)
            {
                _errors.AddOrUpdate($"{reply.Code ?? "?"} (no id)", 1, (_, n) => n + 1);
            }

            return;
        }

        var message = reply.Id!.Value.Number;
        switch (reply.Kind)
        {
            case SendReplyKind.Ack:
                Interlocked.CompareExchange(ref step.States[message], LoadStep.Acked, LoadStep.Sent);
                break;
            case SendReplyKind.Busy:
                Interlocked.Increment(ref step.Busies);
                _ = RetryAsync(step, message);
                break;
            default:
                Interlocked.CompareExchange(ref step.States[message], LoadStep.Failed, LoadStep.Sent);
                _errors.AddOrUpdate(reply.Code ?? "?", 1, (_, n) => n + 1);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var room in _members)
        {
            foreach (var socket in room)
            {
                await socket.DisposeAsync();
            }
        }
    }

    private void Delivered(LoadSocket socket, ReadOnlySpan<byte> record, long number)
    {
        if (!FrameFields.TryGetNumber(record, LoadPayload.StepKey, out var stepId) || stepId is < 0 or >= MaxSteps
            || Volatile.Read(ref _steps[stepId]) is not { } step || number < 0 || number >= step.Count
            || RoomOf((int)number) != socket.Room)
        {
            // Not a message of this load, or delivered to a socket outside its room: counted, never hidden.
            Interlocked.Increment(ref _strays);
            return;
        }

        var n = (int)number;
        var bit = 1 << socket.Member;
        if ((Interlocked.Or(ref step.Delivered[n], bit) & bit) != 0)
        {
            Interlocked.Increment(ref step.Duplicates);
        }
        else
        {
            step.Latency.RecordSince(step.ScheduledTicks(n));
        }
    }

    private void Send(LoadStep step, int number, LatencyHistogram? lag)
    {
        var room = RoomOf(number);
        var sender = _members[room][SenderOf(number)];
        sender.Enqueue(_protocol.Send(_rooms[room], new MessageId(step.Id, number)), step.ScheduledTicks(number), lag);
    }

    /// <summary>Back-pressure: the same message again after 10, 20, 40 … ms (at most <see cref="MaxBackOff"/>); its latency still runs from the first schedule.</summary>
    private async Task RetryAsync(LoadStep step, int number)
    {
        var attempt = Math.Min(Interlocked.Increment(ref step.Busy[number]), 6);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10 << (attempt - 1), MaxBackOff.TotalMilliseconds)));
        Send(step, number, lag: null);
    }

    /// <summary>The server a member connects to: a room's members alternate between the servers.</summary>
    private int ServerOf(int room, int member) => (room + member) % _servers;

    private int RoomOf(int number) => (int)(Mix(number) % (uint)_rooms.Length);

    private int SenderOf(int number) => (int)(Mix(number) / (uint)_rooms.Length % (uint)_members[0].Length);

    /// <summary>MurmurHash3's finalizer: spreads consecutive numbers evenly and reproducibly.</summary>
    private static uint Mix(int number)
    {
        var h = (uint)number;
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >> 16);
    }

    /// <summary>The members a message owes a delivery to: all of its room's but the sender.</summary>
    private int Expected(int number) => (int)((1L << _members[0].Length) - 1) & ~(1 << SenderOf(number));

    private IEnumerable<LoadStep> Steps() => _steps.Take(Volatile.Read(ref _stepCount)).OfType<LoadStep>();

    private bool IsSettled(LoadStep step)
    {
        for (var n = 0; n < step.Count; n++)
        {
            var state = Volatile.Read(ref step.States[n]);
            if (state == LoadStep.Sent || (state == LoadStep.Acked && (Expected(n) & ~Volatile.Read(ref step.Delivered[n])) != 0))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<bool> WaitSettledAsync(IReadOnlyList<LoadStep> steps, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!steps.All(IsSettled))
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }

    private LoadStepResult Summarize(LoadStep step, bool settled, double clientCpuShare, TimeSpan serversCpu, double? sendsPerCall)
    {
        int acked = 0, failed = 0, unanswered = 0;
        long delivered = 0;
        for (var n = 0; n < step.Count; n++)
        {
            switch (Volatile.Read(ref step.States[n]))
            {
                case LoadStep.Acked: acked++; break;
                case LoadStep.Failed: failed++; break;
                default: unanswered++; break;
            }

            delivered += BitOperations.PopCount((uint)(Expected(n) & Volatile.Read(ref step.Delivered[n])));
        }

        var expected = (long)step.Count * Receivers;
        step.Latency.RecordMissing(expected - delivered);
        return new LoadStepResult(step.Rate, Receivers, step.Count, acked, failed, unanswered, Interlocked.Read(ref step.Busies),
            Interlocked.Read(ref step.Duplicates), expected, expected - delivered, step.Latency.Percentile(0.5), step.Latency.Percentile(0.99),
            step.Latency.MaxMilliseconds, step.SendLag.Percentile(0.99), clientCpuShare,
            serversCpu.TotalMilliseconds / Math.Max(1, acked), settled, sendsPerCall);
    }
}
