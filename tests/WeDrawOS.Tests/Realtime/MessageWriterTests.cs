using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Group commit (<see cref="MessageWriter"/>): what arrives during a write goes in the next one, a batch of one sender
/// (<see cref="MessageWriter.AppendAll"/>) goes in one write and is admitted or refused as a whole. Each write here
/// completes only when the test releases it.
/// </summary>
public sealed class MessageWriterTests
{
    private readonly HeldWrites _tail = new();
    private readonly List<long[]> _handedOn = [];

    [Fact]
    public async Task A_batch_goes_in_one_write_and_what_arrives_during_a_write_goes_in_the_next()
    {
        var writer = NewWriter(queueLimit: 100);
        var alone = writer.AppendAll([Entry("a")]);
        await _tail.StartedAsync();

        var batch = writer.AppendAll([Entry("b"), Entry("c"), Entry("d")]);
        var single = writer.AppendAll([Entry("e")])[0];
        Assert.False(_tail.Started, "a second write started while the first was in flight");

        _tail.Release();
        await _tail.StartedAsync();
        _tail.Release();
        Assert.Equal([1L, 2, 3, 4, 5], (await Task.WhenAll([.. alone, .. batch, single]).WaitAsync(WsClient.Timeout)).Select(a => a.Seq));

        // Nothing in flight: the whole batch still goes in one write, not its first message alone.
        var idle = writer.AppendAll([Entry("f"), Entry("g"), Entry("h")]);
        await _tail.StartedAsync();
        _tail.Release();
        await Task.WhenAll(idle).WaitAsync(WsClient.Timeout);

        Assert.Equal([[1L], [2, 3, 4, 5], [6, 7, 8]], _handedOn);
    }

    [Fact]
    public async Task A_full_queue_refuses_a_whole_batch_and_a_batch_with_room_is_taken_whole()
    {
        var writer = NewWriter(queueLimit: 3);
        var first = writer.AppendAll([Entry("a")])[0];
        await _tail.StartedAsync();

        // One waits and the limit is 3: the batch of three is taken whole, past the limit, rather than cut.
        var batch = writer.AppendAll([Entry("b"), Entry("c"), Entry("d")]);
        Assert.Equal(4, writer.Waiting);
        Assert.Throws<BusyException>(() => writer.AppendAll([Entry("e"), Entry("f")]));
        Assert.Throws<BusyException>(() => writer.AppendAll([Entry("g")]));

        // A client id already waiting answers its seq as a duplicate, full queue or not, alone or in a batch of such.
        var again = writer.AppendAll([Entry("b")])[0];
        var batchAgain = writer.AppendAll([Entry("d"), Entry("a")]);
        Assert.Throws<BusyException>(() => writer.AppendAll([Entry("c"), Entry("h")]));
        Assert.Equal(3 * 3, writer.QueuedBytesFrom("customer"));
        _tail.Release();
        await _tail.StartedAsync();
        Assert.Equal(0, writer.QueuedBytesFrom("customer"));
        _tail.Release();

        Assert.Equal([1L, 2, 3, 4], (await Task.WhenAll([first, .. batch]).WaitAsync(WsClient.Timeout)).Select(a => a.Seq));
        Assert.Equal((2L, true), ((await again).Seq, (await again).Duplicate));
        Assert.Equal([(4L, true), (1L, true)], (await Task.WhenAll(batchAgain)).Select(a => (a.Seq, a.Duplicate)));
        Assert.Equal(0, writer.Waiting);
        Assert.Equal([[1L], [2, 3, 4]], _handedOn);
    }

    private MessageWriter NewWriter(int queueLimit)
    {
        var log = new MessageLog(_tail, new HeldWrites(), capacity: 1_000, maxBytes: long.MaxValue, dedupCapacity: 100);
        return new MessageWriter(log, queueLimit, group => _handedOn.Add([.. group.Select(w => w.Message.Seq)]), NullLogger.Instance);
    }

    private static Func<long, ChatMessage> Create(string id) => seq => new ChatMessage("room-1", seq, "customer", id, "\"x\"", DateTimeOffset.UnixEpoch, null);

    private static NewMessage Entry(string id) => new(Create(id), id, null);

    /// <summary>A grain state whose every write waits for <see cref="Release"/>.</summary>
    private sealed class HeldWrites : IPersistentState<MessageLogSegment>
    {
        private readonly Channel<TaskCompletionSource> _writes = Channel.CreateUnbounded<TaskCompletionSource>();
        private TaskCompletionSource? _current;

        public MessageLogSegment State { get; set; } = new();

        public string? Etag => null;

        public bool RecordExists => false;

        /// <summary>Whether a write started that <see cref="StartedAsync"/> has not taken yet.</summary>
        public bool Started => _writes.Reader.TryPeek(out _);

        public async Task StartedAsync() => _current = await _writes.Reader.ReadAsync().AsTask().WaitAsync(WsClient.Timeout);

        public void Release() => _current!.TrySetResult();

        public Task WriteStateAsync()
        {
            var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _writes.Writer.TryWrite(write);
            return write.Task;
        }

        public Task ClearStateAsync() => throw new NotSupportedException();

        public Task ReadStateAsync() => throw new NotSupportedException();
    }
}
