using System.Globalization;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// One step of a <see cref="MessageLoad"/>: what was offered, what came back, and the latency of every delivery owed
/// (<paramref name="Missing"/> ones, not there by the end of the drain, rank as infinitely late in the percentiles).
/// </summary>
/// <param name="Rate">Messages per second offered.</param>
/// <param name="Receivers">Deliveries each message owes (its room's members but the sender).</param>
/// <param name="SendLagP99">p99 of how late the client put messages on their sockets against the schedule (ms).</param>
/// <param name="ClientCpu">Share of the machine's cores the load process used during the step (0–1).</param>
/// <param name="ServersCpuPerMessage">
/// CPU time the system's servers and its Redis used during the step and its drain, per acked message (ms): what a
/// message costs the machine, less sensitive to the shared machine's noise than the latencies.
/// </param>
/// <param name="Settled">Every message answered and every acked one delivered before the drain limit.</param>
/// <param name="SendsPerCall">How many sends a call to a room carried on average, by the servers' own counters (this system only).</param>
public sealed record LoadStepResult(
    double Rate, int Receivers, int Messages, int Acked, int Failed, int Unanswered, long Busies, long Duplicates,
    long Expected, long Missing, double P50, double P99, double Max, double SendLagP99, double ClientCpu, double ServersCpuPerMessage, bool Settled,
    double? SendsPerCall = null)
{
    /// <summary>Deliveries per second owed at this rate.</summary>
    public double DeliveriesPerSecond => Rate * Receivers;

    /// <summary>One line for the scenario's notes.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Rate:#,0} msg/s ({DeliveriesPerSecond:#,0} deliveries/s): p50 {Milliseconds(P50)}, p99 {Milliseconds(P99)}, max {Milliseconds(Max)}; {Acked:#,0}/{Messages:#,0} acked, {Failed} failed, {Unanswered} unanswered, {Busies} busy, {Missing:#,0} of {Expected:#,0} deliveries missing, {Duplicates} duplicates; client send lag p99 {Milliseconds(SendLagP99)}, client CPU {ClientCpu:P0} of the machine; servers' CPU {ServersCpuPerMessage:0.000} ms per message{(SendsPerCall is { } perCall ? ", " + perCall.ToString("0.00", CultureInfo.InvariantCulture) + " sends per call" : "")}{(Settled ? "" : "; not drained")}");

    private static string Milliseconds(double value) => value switch
    {
        double.PositiveInfinity => "∞ (missing)",
        double.NaN => "none",
        < 10 => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => value.ToString("#,0", CultureInfo.InvariantCulture) + " ms",
    };
}
