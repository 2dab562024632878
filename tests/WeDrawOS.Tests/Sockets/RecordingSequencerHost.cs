using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// A host for a <see cref="MessageSequencer"/> that writes down what it is handed, in order: delivered seqs as numbers,
/// a resync as "resync:upTo", and the fills and position checks asked for.
/// </summary>
internal sealed class RecordingSequencerHost : ISequencerHost
{
    public List<string> Written { get; } = [];

    public List<(long From, long To)> Fills { get; } = [];

    public int PositionChecks { get; private set; }

    public IEnumerable<long> Seqs => Written.Where(w => !w.StartsWith("resync", StringComparison.Ordinal)).Select(long.Parse);

    public void Deliver(SequencedFrame message) => Written.Add(message.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Resync(long upTo) => Written.Add($"resync:{upTo}");

    public void FillGap(long from, long to) => Fills.Add((from, to));

    public void CheckPosition() => PositionChecks++;

    public static SequencedFrame Message(long seq) => new(seq, [], null, DateTimeOffset.UnixEpoch);
}
