using System.Diagnostics;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Lets one socket's sends overlap their round trips. The session hands each valid <c>send</c> here and reads on; while
/// one call is in flight, the sends that follow to one room (or one user) gather and go together as the next call. So a
/// sender that does not wait for each ack is bounded by its rate limit, not by one round trip per message. Calls run one
/// at a time, so a room or inbox stores one socket's sends in frame order and the answers leave in frame order; the
/// session waits for <see cref="DrainAsync"/> before it answers any other frame.
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
    public async ValueTask AddAsync(SendTarget target, PendingPost pending)
    {
        while (TryAdd(target, pending) is { } turn)
        {
            await turn;
        }
    }

    /// <summary>Completes when every post handed in has been answered.</summary>
    public Task DrainAsync() => _running;

    /// <summary>Null when the post was taken; else the end of the call in flight, after which it may fit.</summary>
    private Task? TryAdd(SendTarget target, PendingPost pending)
    {
        PostBatch first;
        lock (_gate)
        {
            if (_inFlight is { } current)
            {
                _next ??= new PostBatch(target);
                if (!_next.TryAdd(target, pending))
                {
                    return current.Answered;
                }

                return null;
            }

            first = _inFlight = new PostBatch(target);
            first.TryAdd(target, pending);
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

/// <summary>Where a <c>send</c> goes: a room, or a user's inbox.</summary>
internal readonly record struct SendTarget(string Id, bool IsRoom)
{
    public static SendTarget Room(string id) => new(id, IsRoom: true);

    public static SendTarget User(string id) => new(id, IsRoom: false);
}

/// <summary>
/// A validated <c>send</c> waiting for its call: the frame's id, the message, and the frame's span (default when not
/// traced), which the call's span links to.
/// </summary>
internal sealed record PendingPost(string Id, Grains.Interfaces.Realtime.OutgoingMessage Message, int Bytes, ActivityContext Span = default);

/// <summary>Consecutive sends of one socket to one room or user, sent as one call (<see cref="PostPipeline"/>).</summary>
internal sealed class PostBatch(SendTarget target)
{
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _bytes;

    public SendTarget Target { get; } = target;

    public List<PendingPost> Posts { get; } = [];

    public int Count => Posts.Count;

    /// <summary>Completes once the batch's frames are answered.</summary>
    public Task Answered => _answered.Task;

    /// <summary>Takes a send to the same target while the batch has room for it; a batch always takes its first send.</summary>
    public bool TryAdd(SendTarget target, PendingPost pending)
    {
        if (Posts.Count > 0 && (target != Target || Posts.Count == PostPipeline.MaxPosts || _bytes + pending.Bytes > PostPipeline.MaxBytes))
        {
            return false;
        }

        Posts.Add(pending);
        _bytes += pending.Bytes;
        return true;
    }

    public void MarkAnswered() => _answered.TrySetResult();
}
