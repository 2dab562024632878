namespace WeDrawOS.Front.Sockets;

/// <summary>What a <see cref="MessageSequencer"/> hands its results to.</summary>
internal interface ISequencerHost
{
    /// <summary>The next message in seq order. Called under the sequencer's lock: queue it, do not write sockets here.</summary>
    void Deliver(SequencedFrame message);

    /// <summary>
    /// The seqs up to <paramref name="upTo"/> that were not delivered cannot be (gone from the source, or the source did not
    /// answer): the sockets must recover on their own. Called under the sequencer's lock, in order with <see cref="Deliver"/>.
    /// </summary>
    void Resync(long upTo);

    /// <summary>
    /// Read <paramref name="from"/>..<paramref name="to"/> from the source: hand what it has to
    /// <see cref="MessageSequencer.Accept"/>, report what it no longer has with <see cref="MessageSequencer.Lost"/>, and end
    /// with <see cref="MessageSequencer.FillEnded"/>. Called outside the lock; one fill at a time.
    /// </summary>
    void FillGap(long from, long to);

    /// <summary>Ask the source for its latest seq and report it with <see cref="MessageSequencer.Expect"/>. Called outside the lock.</summary>
    void CheckPosition();
}
