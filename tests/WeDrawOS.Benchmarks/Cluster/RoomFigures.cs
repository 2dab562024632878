namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// One room workload on one system: a window at a fixed rate, the ceiling search, a window at half the ceiling (null
/// when there was no ceiling to halve) and what was lost over all of it.
/// </summary>
public sealed record RoomFigures(LoadStepResult Fixed, CeilingResult<LoadStepResult> Search, LoadStepResult? HalfCeiling, LoadLoss Loss)
{
    /// <summary>The p99 a step may have and still count as sustained (the definition of the ceiling).</summary>
    public const double CeilingP99 = 100;

    public static bool Sustained(LoadStepResult step) => step.P99 <= CeilingP99;
}
