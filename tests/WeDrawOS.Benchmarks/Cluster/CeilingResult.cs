namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// What a <see cref="CeilingSearch"/> found: the highest passing step (null when even the first rate failed), the lowest
/// failing rate above it (null when none failed up to the maximum), and every step in the order run.
/// </summary>
public sealed record CeilingResult<T>(CeilingStep<T>? Ceiling, double? FirstFailure, IReadOnlyList<CeilingStep<T>> Steps);
