namespace WeDrawOS.Benchmarks;

/// <summary>
/// One benchmark scenario: runs this system and its baselines side by side in the same process run,
/// so every figure can be read as a ratio that holds on a noisy machine. Must finish within its <see cref="Budget"/>.
/// Scenarios are found by reflection: adding a class is all it takes.
/// </summary>
public interface IScenario
{
    /// <summary>Command-line name, e.g. <c>cache</c>.</summary>
    string Name { get; }

    /// <summary>One line: what is measured and against which baselines.</summary>
    string Description { get; }

    /// <summary>How long the scenario may run before it is cancelled: three minutes unless it says otherwise.</summary>
    TimeSpan Budget => TimeSpan.FromMinutes(3);

    Task<ScenarioResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>The measurements of one scenario.</summary>
public sealed record ScenarioResult(string Scenario, IReadOnlyList<Measurement> Measurements, IReadOnlyList<string> Notes);

/// <summary>
/// One figure. <paramref name="Baseline"/> names the measurement it is compared with (in the same scenario);
/// <paramref name="Target"/> is the goal from the architecture, as text (e.g. "≥ 0.9 × raw").
/// </summary>
public sealed record Measurement(string Name, double Value, string Unit, string? Baseline = null, double? Ratio = null, string? Target = null, bool? Met = null);
