using System.Threading.Channels;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// A socket's room posts overlap their round trips (<see cref="PostPipeline"/>): what is read while a call is in flight
/// goes together as the next call, calls never overlap, batches never mix rooms, and the pipeline holds at most one
/// bounded batch ahead. Each call here is answered only when the test says so.
/// </summary>
public sealed class PostPipelineTests
{
    private readonly RoomCalls _calls = new();

    [Fact]
    public async Task Posts_read_while_a_call_is_in_flight_go_together_as_the_next_call_in_order()
    {
        var pipeline = new PostPipeline(_calls.PostAsync);
        await pipeline.AddAsync(SendTarget.Room("r"), Post("a1"));
        var first = await _calls.NextAsync();
        await pipeline.AddAsync(SendTarget.Room("r"), Post("a2"));
        await pipeline.AddAsync(SendTarget.Room("r"), Post("a3"));
        await pipeline.AddAsync(SendTarget.Room("r"), Post("a4"));
        Assert.False(_calls.Started, "a second call started while the first was in flight");

        first.Answer();
        var second = await _calls.NextAsync();
        Assert.Equal("r", first.Room);
        Assert.Equal(["a1"], first.Ids);
        Assert.Equal("r", second.Room);
        Assert.Equal(["a2", "a3", "a4"], second.Ids);

        var drained = pipeline.DrainAsync();
        Assert.False(drained.IsCompleted, "drained before the last call was answered");
        second.Answer();
        await drained.WaitAsync(WsClient.Timeout);
        Assert.Equal(1, _calls.MostInFlight);
    }

    [Fact]
    public async Task A_post_to_another_room_waits_until_the_next_batch_is_in_flight()
    {
        var pipeline = new PostPipeline(_calls.PostAsync);
        await pipeline.AddAsync(SendTarget.Room("r1"), Post("a1"));
        var first = await _calls.NextAsync();
        await pipeline.AddAsync(SendTarget.Room("r1"), Post("a2"));
        var other = pipeline.AddAsync(SendTarget.Room("r2"), Post("b1")).AsTask();
        Assert.False(other.IsCompleted, "a post to another room joined the batch of r1");

        first.Answer();
        var second = await _calls.NextAsync();
        await other.WaitAsync(WsClient.Timeout);
        second.Answer();
        var third = await _calls.NextAsync();
        third.Answer();
        await pipeline.DrainAsync().WaitAsync(WsClient.Timeout);

        Assert.Equal("r1", second.Room);
        Assert.Equal(["a2"], second.Ids);
        Assert.Equal("r2", third.Room);
        Assert.Equal(["b1"], third.Ids);
        Assert.Equal(1, _calls.MostInFlight);
    }

    [Fact]
    public async Task The_batch_ahead_is_bounded_by_count_and_bytes_and_a_large_post_goes_alone()
    {
        var pipeline = new PostPipeline(_calls.PostAsync);
        await pipeline.AddAsync(SendTarget.Room("r"), Post("first"));
        var first = await _calls.NextAsync();
        for (var n = 0; n < PostPipeline.MaxPosts; n++)
        {
            await pipeline.AddAsync(SendTarget.Room("r"), Post("p" + n));
        }

        var overCount = pipeline.AddAsync(SendTarget.Room("r"), Post("over-count", PostPipeline.MaxBytes)).AsTask();
        Assert.False(overCount.IsCompleted, "the batch ahead took more than MaxPosts");

        first.Answer();
        var full = await _calls.NextAsync();
        await overCount.WaitAsync(WsClient.Timeout);
        var small = pipeline.AddAsync(SendTarget.Room("r"), Post("small")).AsTask();
        Assert.False(small.IsCompleted, "a batch went past MaxBytes");

        full.Answer();
        var large = await _calls.NextAsync();
        await small.WaitAsync(WsClient.Timeout);
        large.Answer();
        var last = await _calls.NextAsync();
        last.Answer();
        await pipeline.DrainAsync().WaitAsync(WsClient.Timeout);

        Assert.Equal(PostPipeline.MaxPosts, full.Ids.Length);
        Assert.Equal(["over-count"], large.Ids);
        Assert.Equal(["small"], last.Ids);
    }

    [Fact]
    public async Task Under_a_stream_of_posts_every_post_goes_once_in_order_and_calls_never_overlap()
    {
        // Calls answered on the thread pool, after a yield or a millisecond, while the session keeps adding: the
        // invariants hold whatever the interleaving.
        var random = new Random(20261202);
        var calls = new List<PostBatch>();
        var inFlight = 0;
        var overlapped = false;
        var pipeline = new PostPipeline(async batch =>
        {
            overlapped |= Interlocked.Increment(ref inFlight) > 1;
            int number;
            lock (calls)
            {
                calls.Add(batch);
                number = calls.Count;
            }

            if (number % 3 == 0)
            {
                await Task.Delay(1);
            }
            else
            {
                await Task.Yield();
            }

            Interlocked.Decrement(ref inFlight);
        });

        // Two rooms and a user whose id is one of theirs: sends to different targets never share a call.
        SendTarget[] targets = [SendTarget.Room("a"), SendTarget.Room("b"), SendTarget.User("a")];
        var sent = new List<(SendTarget Target, string Id)>();
        var target = targets[0];
        for (var n = 0; n < 3_000; n++)
        {
            if (random.Next(20) == 0)
            {
                target = targets[random.Next(targets.Length)];
            }

            sent.Add((target, "m" + n));
            await pipeline.AddAsync(target, Post("m" + n, random.Next(1, 8_000)));
        }

        await pipeline.DrainAsync().WaitAsync(WsClient.Timeout);

        Assert.False(overlapped, "two calls of one socket were in flight at once");
        Assert.Equal(sent, calls.SelectMany(c => c.Posts.Select(p => (c.Target, p.Id))));
        Assert.All(calls, c => Assert.InRange(c.Count, 1, PostPipeline.MaxPosts));
        Assert.All(calls.Where(c => c.Count > 1), c => Assert.InRange(c.Posts.Sum(p => p.Bytes), 1, PostPipeline.MaxBytes));
        Assert.Contains(calls, c => c.Count > 1);
    }

    private static PendingPost Post(string id, int bytes = 10) => new(id, new OutgoingMessage("u", id, "\"x\"", "socket-1"), bytes);

    /// <summary>The room calls a pipeline makes, each answered when the test calls <see cref="Call.Answer"/>.</summary>
    private sealed class RoomCalls
    {
        private readonly Channel<Call> _started = Channel.CreateUnbounded<Call>();
        private int _inFlight;
        private int _mostInFlight;

        public int MostInFlight => Volatile.Read(ref _mostInFlight);

        /// <summary>Whether a call started that <see cref="NextAsync"/> has not taken yet.</summary>
        public bool Started => _started.Reader.TryPeek(out _);

        public async Task PostAsync(PostBatch batch)
        {
            var inFlight = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _mostInFlight, inFlight);
            var call = new Call(batch.Target.Id, [.. batch.Posts.Select(p => p.Id)]);
            _started.Writer.TryWrite(call);
            await call.Answered;
            Interlocked.Decrement(ref _inFlight);
        }

        public async Task<Call> NextAsync() => await _started.Reader.ReadAsync().AsTask().WaitAsync(WsClient.Timeout);

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private sealed record Call(string Room, string[] Ids)
    {
        private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Answered => _answered.Task;

        public void Answer() => _answered.TrySetResult();
    }
}
