using System.Diagnostics;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// The messages of one step of a <see cref="MessageLoad"/>: each has a send time fixed by the clock (its number over
/// the rate, from <see cref="StartTicks"/>), a state (sent, acked, failed) and a mask of the room members it reached.
/// </summary>
internal sealed class LoadStep(int id, double rate, int count, long startTicks)
{
    public const int Sent = 1;
    public const int Acked = 2;
    public const int Failed = 3;

    public int Id { get; } = id;

    public double Rate { get; } = rate;

    public int Count { get; } = count;

    public long StartTicks { get; } = startTicks;

    /// <summary>Per message: <see cref="Sent"/>, <see cref="Acked"/> or <see cref="Failed"/> (0 before it is sent).</summary>
    public int[] States { get; } = new int[count];

    /// <summary>Per message: one bit per room member that received it.</summary>
    public int[] Delivered { get; } = new int[count];

    /// <summary>Per message: how often it was answered <c>busy</c> (for the back-off).</summary>
    public int[] Busy { get; } = new int[count];

    /// <summary>From each message's scheduled send to its arrival at each receiver.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>From each message's scheduled send to when the client put it on its socket.</summary>
    public LatencyHistogram SendLag { get; } = new();

    public long Busies;

    public long Duplicates;

    public long ScheduledTicks(int number) => StartTicks + (long)(number * (Stopwatch.Frequency / Rate));

    /// <summary>How many messages are due to have been sent by <paramref name="nowTicks"/>.</summary>
    public int DueBy(long nowTicks) =>
        nowTicks < StartTicks ? 0 : (int)Math.Min(Count, ((nowTicks - StartTicks) * Rate / Stopwatch.Frequency) + 1);
}
