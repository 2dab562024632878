using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// How message logs are stored (<see cref="MessageLogStorageSerializer"/>): a segment round-trips, a segment stored
/// in Orleans' own format before it still loads, other states are left to Orleans, a room's history and client ids
/// survive its grain deactivating, and the encodings a log keeps for its writes (<see cref="EncodedMessages"/>) follow
/// what it keeps.
/// </summary>
public sealed class MessageLogStorageTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(ChatMessage).Assembly).AddAssembly(typeof(MessageLogSegment).Assembly))
        .BuildServiceProvider();

    private TestHost? _front;

    private OrleansGrainStorageSerializer Orleans => new(_services.GetRequiredService<Serializer>());

    private MessageLogStorageSerializer Logs => new(_services.GetRequiredService<Serializer<ChatMessage>>(), Orleans);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_front is not null)
        {
            await _front.DisposeAsync();
        }

        await _services.DisposeAsync();
    }

    private static MessageLogSegment Segment(int count) => new()
    {
        Messages = Enumerable.Range(1, count).Select(n => new ChatMessage(
            "room-1", n, n % 2 == 0 ? "客服-1" : "customer", n % 3 == 0 ? null : "c" + n, $"{{\"text\":\"你好 hello {n}\"}}",
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n), null)).ToList(),
        Dedup = Enumerable.Range(1, count).Where(n => n % 3 != 0).Select(n => new DedupEntry((n % 2 == 0 ? "客服-1" : "customer") + "\nc" + n, n)).ToList(),
    };

    private static ChatMessage Message(long seq) => new("room-1", seq, "customer", "c" + seq, $"{{\"text\":\"你好 {seq}\"}}", DateTimeOffset.UnixEpoch.AddSeconds(seq), null);

    private static (MessageLog Log, SerializingState<MessageLogSegment> Tail, SerializingState<MessageLogSegment> Archive) NewLog(MessageLogStorageSerializer serializer, int capacity)
    {
        var tail = new SerializingState<MessageLogSegment>(serializer);
        var archive = new SerializingState<MessageLogSegment>(serializer);
        return (new MessageLog(tail, archive, capacity, maxBytes: long.MaxValue, dedupCapacity: 100), tail, archive);
    }

    [Fact]
    public void A_segment_round_trips_in_its_own_format_and_serializes_the_same_twice()
    {
        var logs = Logs;
        var segment = Segment(100);

        var first = logs.Serialize(segment);
        var again = logs.Serialize(segment);
        var loaded = logs.Deserialize<MessageLogSegment>(first);

        Assert.Equal(MessageLogStorageSerializer.FormatMarker, first.ToMemory().Span[0]);
        Assert.Equal(first.ToArray(), again.ToArray());
        Assert.Equal(segment.Messages, loaded.Messages);
        Assert.Equal(segment.Dedup, loaded.Dedup);
        Assert.Equal(first.ToArray(), logs.Serialize(loaded).ToArray());
    }

    [Fact]
    public void A_segment_stored_in_Orleans_format_before_still_loads()
    {
        var segment = Segment(70);
        var stored = Orleans.Serialize(segment);

        Assert.NotInRange(stored.ToMemory().Span[0], MessageLogStorageSerializer.FormatMarker, MessageLogStorageSerializer.LaterFormatsEnd);
        var loaded = Logs.Deserialize<MessageLogSegment>(stored);
        Assert.Equal(segment.Messages, loaded.Messages);
        Assert.Equal(segment.Dedup, loaded.Dedup);
    }

    [Fact]
    public void A_segment_in_a_later_format_is_refused_not_read_as_empty()
    {
        // What a newer version might write: its own first byte, then anything.
        var later = new BinaryData(new byte[] { MessageLogStorageSerializer.LaterFormats, 3, 1, 2, 3 });
        var refused = Assert.Throws<NotSupportedException>(() => Logs.Deserialize<MessageLogSegment>(later));
        Assert.Contains("later format (0xA8)", refused.Message);
    }

    [Fact]
    public void Empty_segments_and_other_states_are_written_as_expected()
    {
        var empty = Logs.Deserialize<MessageLogSegment>(Logs.Serialize(new MessageLogSegment()));
        Assert.Empty(empty.Messages);
        Assert.Empty(empty.Dedup);

        var other = new List<string> { "a", "b" };
        Assert.Equal(Orleans.Serialize(other).ToArray(), Logs.Serialize(other).ToArray());
        Assert.Equal(other, Logs.Deserialize<List<string>>(Logs.Serialize(other)));
    }

    [Fact]
    public async Task A_rooms_history_and_client_ids_survive_its_grain_deactivating()
    {
        _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        var room = _front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("stored-log");

        // 150 messages: past two folds of the tail into the archive, and a tail left over.
        for (var n = 1; n <= 150; n++)
        {
            await room.Post(new OutgoingMessage("bot", "c" + n, n.ToString(CultureInfo.InvariantCulture), null), senderIsStaff: true);
        }

        await room.Cast<global::Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        var history = await room.History(PageRequest.After(0, 1000, int.MaxValue));
        Assert.Equal(Enumerable.Range(1, 150).Select(n => (long)n), history.Messages.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 150).Select(n => n.ToString(CultureInfo.InvariantCulture)), history.Messages.Select(m => m.Data));
        var repeated = await room.Post(new OutgoingMessage("bot", "c7", "7 again", null), senderIsStaff: true);
        Assert.Equal(new SendResult(7, true, false), repeated);
    }

    [Fact]
    public async Task Every_kept_message_has_one_encoding_and_dropped_ones_are_forgotten()
    {
        var serializer = Logs;
        var (log, tail, archive) = NewLog(serializer, capacity: 100);

        for (var seq = 1; seq <= 1_000; seq++)
        {
            await log.AppendAsync([(Message(seq), null)]);
        }

        var kept = archive.State.Messages.Concat(tail.State.Messages).ToList();
        Assert.Equal(100, kept.Count);
        Assert.Same(archive.State.Encoded, tail.State.Encoded);
        Assert.Equal(kept.Count, archive.State.Encoded!.Count);

        tail.FailNextWrite = true;
        await Assert.ThrowsAsync<IOException>(() => log.AppendAsync([(Message(1_001), null), (Message(1_002), null)]));
        Assert.Equal(1_000, log.LastSeq);
        Assert.Equal(archive.State.Messages.Count + tail.State.Messages.Count, archive.State.Encoded.Count);

        // What the log's encodings write is what a serializer that never saw these messages writes.
        var fresh = Logs;
        foreach (var state in new[] { tail, archive })
        {
            var copy = new MessageLogSegment { Messages = [.. state.State.Messages], Dedup = [.. state.State.Dedup] };
            Assert.Equal(fresh.Serialize(copy).ToArray(), serializer.Serialize(state.State).ToArray());
        }
    }

    [Fact]
    public async Task A_log_loaded_from_storage_reuses_the_loaded_bytes_and_drops_what_the_archive_holds_twice()
    {
        var serializer = Logs;
        var (log, tail, archive) = NewLog(serializer, capacity: 1_000);
        for (var seq = 1; seq <= MessageLog.TailSize + 10; seq++)
        {
            await log.AppendAsync([(Message(seq), null)]);
        }

        // A crash between a fold's two writes leaves the folded messages in the stored tail too.
        var storedTail = serializer.Serialize(new MessageLogSegment { Messages = [.. archive.State.Messages.TakeLast(5), .. tail.State.Messages] });
        var reloadedTail = new SerializingState<MessageLogSegment>(serializer) { State = serializer.Deserialize<MessageLogSegment>(storedTail) };
        var reloadedArchive = new SerializingState<MessageLogSegment>(serializer) { State = serializer.Deserialize<MessageLogSegment>(archive.Stored!) };

        var reloaded = new MessageLog(reloadedTail, reloadedArchive, capacity: 1_000, maxBytes: long.MaxValue, dedupCapacity: 100);

        Assert.Equal(MessageLog.TailSize + 10, reloaded.LastSeq);
        Assert.Equal(10, reloadedTail.State.Messages.Count);
        Assert.Equal(MessageLog.TailSize + 10, reloadedArchive.State.Encoded!.Count);
        Assert.Same(reloadedArchive.State.Encoded, reloadedTail.State.Encoded);
    }
}
