using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// The encodings a <see cref="MessageLog"/> keeps for its storage writes (<see cref="EncodedMessages"/>): each kept
/// message has one, what the log drops (trimmed, or taken out by a failed write) is forgotten, and what is written is
/// exactly what a fresh serializer writes.
/// </summary>
public sealed class MessageLogEncodingTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(ChatMessage).Assembly).AddAssembly(typeof(MessageLogSegment).Assembly))
        .BuildServiceProvider();

    private MessageLogStorageSerializer NewSerializer() =>
        new(_services.GetRequiredService<Serializer<ChatMessage>>(), new OrleansGrainStorageSerializer(_services.GetRequiredService<Serializer>()));

    public void Dispose() => _services.Dispose();

    private static ChatMessage Message(long seq) => new("room-1", seq, "customer", "c" + seq, $"{{\"text\":\"你好 {seq}\"}}", DateTimeOffset.UnixEpoch.AddSeconds(seq), null);

    [Fact]
    public async Task Every_kept_message_has_one_encoding_and_dropped_ones_are_forgotten()
    {
        var serializer = NewSerializer();
        var tail = new SerializingState<MessageLogSegment>(serializer);
        var archive = new SerializingState<MessageLogSegment>(serializer);
        var log = new MessageLog(tail, archive, capacity: 100, maxBytes: long.MaxValue, dedupCapacity: 100);

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
        var fresh = NewSerializer();
        foreach (var state in new[] { tail, archive })
        {
            var copy = new MessageLogSegment { Messages = [.. state.State.Messages], Dedup = [.. state.State.Dedup] };
            Assert.Equal(fresh.Serialize(copy).ToArray(), serializer.Serialize(state.State).ToArray());
        }
    }

    [Fact]
    public async Task A_log_loaded_from_storage_reuses_the_loaded_bytes_and_drops_what_the_archive_holds_twice()
    {
        var serializer = NewSerializer();
        var tail = new SerializingState<MessageLogSegment>(serializer);
        var archive = new SerializingState<MessageLogSegment>(serializer);
        var log = new MessageLog(tail, archive, capacity: 1_000, maxBytes: long.MaxValue, dedupCapacity: 100);
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
