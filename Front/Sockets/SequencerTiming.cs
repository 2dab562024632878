namespace WeDrawOS.Front.Sockets;

/// <summary>How long a <see cref="MessageSequencer"/> waits before it fills a gap, checks the position, or gives up.</summary>
/// <param name="GapWait">
/// How long a missing seq may be late before it is read from the source. Pushes overtake each other on their way to a
/// front (they may pass through different gateways), so most gaps close by themselves within milliseconds.
/// </param>
/// <param name="PositionCheckDelay">
/// Quiet time after the last delivery before the source's latest seq is asked once: lost pushes at the end of a burst
/// have no later message to reveal them.
/// </param>
/// <param name="LongestRetry">The longest wait between two attempts to read a gap from a source that does not answer.</param>
/// <param name="GiveUpAfter">How long a source may keep failing before its gap is given up (the sockets are told to recover).</param>
/// <param name="MaxHeld">Messages held behind a gap at most; beyond it the gap is given up rather than memory grown.</param>
internal sealed record SequencerTiming(TimeSpan GapWait, TimeSpan PositionCheckDelay, TimeSpan LongestRetry, TimeSpan GiveUpAfter, int MaxHeld)
{
    /// <summary>The values a front uses: a gap is read after 200 ms; the position is asked 1 s after the last delivery.</summary>
    public static SequencerTiming Default { get; } = new(
        GapWait: TimeSpan.FromMilliseconds(200),
        PositionCheckDelay: TimeSpan.FromSeconds(1),
        LongestRetry: TimeSpan.FromSeconds(2),
        GiveUpAfter: TimeSpan.FromSeconds(30),
        MaxHeld: 20_000);
}
