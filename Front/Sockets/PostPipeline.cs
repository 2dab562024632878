namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Lets one socket's room posts overlap their round trips. The session hands each valid room <c>send</c> here and reads
/// on; while one call is in flight, the posts that follow to one room gather and go together as the next call. So a
/// sender that does not wait for each ack is bounded by its rate limit, not by one round trip per message. Calls run one
/// at a time, so a room stores one socket's posts in frame order and the answers leave in frame order; the session waits
/// for <see cref="DrainAsync"/> before it answers any other frame.
/// </summary>
/// <remarks>
/// Holds at most the batch in flight and the next one, each of at most <see cref="MaxPosts"/> posts and
/// <see cref="MaxBytes"/> bytes of data (a larger post goes alone): when the next is full the session stops reading,
/// and TCP holds the client back.
/// </remarks>
internal sealed class PostPipeline(Func<PostBatch, Task> post)
{
    public const int MaxPosts = 32;
    public const int MaxBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private PostBatch? _inFlight;
    private PostBatch? _next;
    private Task _running = Task.CompletedTask;

    /// <summary>Takes the post into the pipeline, waiting first while the next batch has no room for it.</summary>
    public async ValueTask AddAsync(string room, PendingPost pending)
    {
        while (TryAdd(room, pending) is { } turn)
        {
            await turn;
        }
    }

    /// <summary>Completes when every post handed in has been answered.</summary>
    public Task DrainAsync() => _running;

    /// <summary>Null when the post was taken; else the end of the call in flight, after which it may fit.</summary>
    private Task? TryAdd(string room, PendingPost pending)
    {
        PostBatch first;
        lock (_gate)
        {
            if (_inFlight is { } current)
            {
                _next ??= new PostBatch(room);
                if (!_next.TryAdd(room, pending))
                {
                    return current.Answered;
                }

                return null;
            }

            first = _inFlight = new PostBatch(room);
            first.TryAdd(room, pending);
        }

        // Only the session's receive loop adds and drains, so only it touches _running.
        _running = RunAsync(first);
        return null;
    }

    private async Task RunAsync(PostBatch batch)
    {
        while (true)
        {
            // The post answers its frames, failures too: it does not throw.
            await post(batch);
            PostBatch? next;
            lock (_gate)
            {
                next = _next is { Count: > 0 } ? _next : null;
                _next = null;
                _inFlight = next;
            }

            // After the swap, so that a session woken here finds the next batch in flight and room behind it.
            batch.MarkAnswered();
            if (next is null)
            {
                return;
            }

            batch = next;
        }
    }
}

/// <summary>A validated room <c>send</c> waiting for its call: the frame's id and the message.</summary>
internal sealed record PendingPost(string Id, Grains.Interfaces.Realtime.OutgoingMessage Message, int Bytes);

/// <summary>Consecutive posts of one socket to one room, sent as one call (<see cref="PostPipeline"/>).</summary>
internal sealed class PostBatch(string room)
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _bytes;

    public string Room { get; } = room;

    public List<PendingPost> Posts { get; } = [];

    public int Count => Posts.Count;

    /// <summary>Completes once the batch's frames are answered.</summary>
    public Task Answered => _answered.Task;

    /// <summary>Takes a post for the same room while the batch has room for it; a batch always takes its first post.</summary>
    public bool TryAdd(string room, PendingPost pending)
    {
        if (Posts.Count > 0 && (room != Room || Posts.Count == PostPipeline.MaxPosts || _bytes + pending.Bytes > PostPipeline.MaxBytes))
        {
            return false;
        }

        Posts.Add(pending);
        _bytes += pending.Bytes;
        return true;
    }

    public void MarkAnswered() => _answered.TrySetResult();
}
