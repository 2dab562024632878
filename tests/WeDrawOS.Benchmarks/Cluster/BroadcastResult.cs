namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Broadcast latency (ms) to <paramref name="Sockets"/> sockets over <paramref name="Broadcasts"/> measured broadcasts;
/// <paramref name="Missing"/> deliveries had not arrived by the end of the drain and rank as infinitely late;
/// <paramref name="ClientCpu"/> is the share of the machine's cores the load process used meanwhile (0–1).
/// </summary>
public sealed record BroadcastResult(int Sockets, int Broadcasts, double P50, double P99, double Max, long Missing, long Duplicates, int ClosedSockets, double ClientCpu);
