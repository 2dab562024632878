namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>Room sends a system's servers posted, and the calls that carried them (a socket's sends read while one was in flight go together).</summary>
public readonly record struct PostCounts(long Posts, long Calls)
{
    /// <summary>Sends per call since <paramref name="before"/>; null when no call was made.</summary>
    public double? SendsPerCallSince(PostCounts before) =>
        Calls > before.Calls ? (double)(Posts - before.Posts) / (Calls - before.Calls) : null;
}
