namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>One step of a <see cref="CeilingSearch"/>: the rate offered and what came of it.</summary>
public sealed record CeilingStep<T>(double Rate, T Result);
