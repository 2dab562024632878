using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// What rooms' histories (<see cref="MessageLog"/>) cost beyond their messages. <b>Garbage collection:</b> rooms' logs
/// are filled to their 1,000 messages through the storage serializer, as the room grains fill them; then the same
/// allocation (segment-sized buffers, as storage writes make) runs while they are held, and the pauses are timed.
/// Baseline, side by side: the same messages with their encodings kept in a weak table keyed by message, as the
/// serializer kept them before (one dependent handle per message, which every collection, even of the youngest
/// generation, walks). <b>Bytes written:</b> what storage writes per message once a log is full (its tail rewritten
/// after each group, its archive at each fold), against the message's own encoded size.
/// </summary>
public sealed class HistoryScenario : IScenario
{
    private const int MessagesPerRoom = 1_000;
    private static readonly int[] RoomCounts = [200, 1_000];

    // What one run allocates while the histories are held: 4 GB in 5 KB buffers, the size of a 32-message tail write.
    private const int BufferSize = 5 * 1024;
    private const long Allocated = 4L << 30;

    // Message sizes (bytes of data) and group sizes (messages per write: a quiet room, a hot room) for the bytes written.
    private static readonly int[] DataSizes = [100, 4_000];
    private static readonly int[] GroupSizes = [1, 16];

    public string Name => "history";

    public string Description => "rooms' histories: GC pause with 200 and 1,000 full histories held (against a weak table of encodings, the earlier design); bytes written to storage per message (against its size)";

    public TimeSpan Budget => TimeSpan.FromMinutes(5);

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var services = new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(ChatMessage).Assembly).AddAssembly(typeof(MessageLogSegment).Assembly))
            .BuildServiceProvider();
        var encode = services.GetRequiredService<Serializer<ChatMessage>>();
        var serializer = new MessageLogStorageSerializer(encode, new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
        var measurements = new List<Measurement>();
        var notes = new List<string>();
        foreach (var rooms in RoomCounts)
        {
            var label = $"{rooms:#,0} rooms × {MessagesPerRoom:#,0} messages";
            var logs = await FillLogsAsync(serializer, rooms);
            var withLogs = Allocate(cancellationToken);
            GC.KeepAlive(logs);
            logs = null;

            var table = FillWeakTable(encode, rooms);
            var withTable = Allocate(cancellationToken);
            GC.KeepAlive(table);
            table = null;

            var baseline = $"weak table, {label}";
            measurements.Add(new Measurement(baseline, withTable.PausePerCollection, "ms per collection"));
            measurements.Add(new Measurement($"message logs, {label}", withLogs.PausePerCollection, "ms per collection", baseline, withLogs.PausePerCollection / withTable.PausePerCollection));
            notes.Add($"{label}: message logs {withLogs}; weak table {withTable}");
        }

        foreach (var dataSize in DataSizes)
        {
            foreach (var groupSize in GroupSizes)
            {
                var (written, own) = await BytesWrittenPerMessageAsync(serializer, encode, dataSize, groupSize);
                var label = $"{dataSize:#,0} B messages in groups of {groupSize}";
                var baseline = $"message's own encoding, {dataSize:#,0} B";
                if (groupSize == GroupSizes[0])
                {
                    measurements.Add(new Measurement(baseline, own, "bytes"));
                }

                measurements.Add(new Measurement($"bytes written per message, {label}", written, "bytes", baseline, written / own));
            }
        }

        notes.Add($"bytes written: a log of the default bounds (ROOM_HISTORY_SIZE {MessagesPerRoom:#,0}, ROOM_HISTORY_MAX_BYTES 8 MB) filled three times over, then {MessagesPerRoom:#,0} messages more counted; every write of its two segments summed");
        notes.Add($"GC: {Allocated >> 30} GB allocated in {BufferSize / 1024} KB buffers while the histories are held, after a full collection; pauses from GC.GetTotalPauseDuration, collections of all generations; this process's GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        return new ScenarioResult(Name, measurements, notes);
    }

    /// <summary>Rooms' logs, each filled to its size in groups of ten, written through the storage serializer.</summary>
    private static async Task<List<MessageLog>> FillLogsAsync(IGrainStorageSerializer serializer, int rooms)
    {
        var logs = new List<MessageLog>(rooms);
        for (var room = 0; room < rooms; room++)
        {
            var log = new MessageLog(
                new SerializingState<MessageLogSegment>(serializer), new SerializingState<MessageLogSegment>(serializer),
                MessagesPerRoom, long.MaxValue, MessagesPerRoom);
            for (var seq = 1; seq <= MessagesPerRoom; seq += 10)
            {
                await log.AppendAsync(Enumerable.Range(seq, 10).Select(s => (Message(room, s), (string?)null)).ToList());
            }

            logs.Add(log);
        }

        return logs;
    }

    /// <summary>The same messages, kept (as the logs keep them), with their encodings in a weak table keyed by message.</summary>
    private static KeptTable FillWeakTable(Serializer<ChatMessage> encode, int rooms)
    {
        var table = new ConditionalWeakTable<ChatMessage, byte[]>();
        var kept = new List<ChatMessage>(rooms * MessagesPerRoom);
        for (var room = 0; room < rooms; room++)
        {
            for (var seq = 1; seq <= MessagesPerRoom; seq++)
            {
                var message = Message(room, seq);
                kept.Add(message);
                table.Add(message, encode.SerializeToArray(message));
            }
        }

        return new KeptTable(table, kept);
    }

    private static ChatMessage Message(int room, long seq) =>
        new("room-" + room, seq, "customer-" + (seq % 10), "c" + seq, $"{{\"text\":\"你好，我的订单 {seq} 还没到 / my order has not arrived\"}}", DateTimeOffset.UnixEpoch.AddSeconds(seq), null);

    /// <summary>Bytes storage takes per message appended to a full log, in groups, and a message's own encoded size.</summary>
    private static async Task<(double Written, double Own)> BytesWrittenPerMessageAsync(
        IGrainStorageSerializer serializer, Serializer<ChatMessage> encode, int dataSize, int groupSize)
    {
        var tail = new SerializingState<MessageLogSegment>(serializer);
        var archive = new SerializingState<MessageLogSegment>(serializer);
        var log = new MessageLog(tail, archive, MessagesPerRoom, 8L << 20, MessagesPerRoom);
        var data = "\"" + new string('x', dataSize - 2) + "\"";
        ChatMessage Sized(long seq) => new("room-1", seq, "customer", "c" + seq, data, DateTimeOffset.UnixEpoch.AddSeconds(seq), null);
        long seq = 0;
        async Task AppendAsync(int messages)
        {
            for (var n = 0; n < messages; n += groupSize)
            {
                await log.AppendAsync(Enumerable.Range(0, groupSize).Select(_ => (Sized(++seq), (string?)("customer\nc" + seq))).ToList());
            }
        }

        await AppendAsync(3 * MessagesPerRoom);
        var before = tail.BytesWritten + archive.BytesWritten;
        await AppendAsync(MessagesPerRoom);
        var written = (double)(tail.BytesWritten + archive.BytesWritten - before) / MessagesPerRoom;
        return (written, encode.SerializeToArray(Sized(seq)).Length);
    }

    private static GcFigures Allocate(CancellationToken cancellationToken)
    {
        GC.Collect();
        var collections = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var sink = new byte[64][];
        for (long n = 0; n < Allocated / BufferSize; n++)
        {
            sink[n % sink.Length] = new byte[BufferSize];
            if (n % 100_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return new GcFigures(GC.CollectionCount(0) - collections, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds, clock.Elapsed.TotalSeconds);
    }

    private sealed record KeptTable(ConditionalWeakTable<ChatMessage, byte[]> Table, List<ChatMessage> Kept);

    private sealed record GcFigures(int Collections, double PausedMs, double Seconds)
    {
        public double PausePerCollection => PausedMs / Math.Max(1, Collections);

        public override string ToString() => $"{Collections} collections, {PausedMs:F0} ms paused in {Seconds:F1} s";
    }
}
