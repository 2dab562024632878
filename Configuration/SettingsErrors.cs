namespace WeDrawOS.Configuration;

/// <summary>Collects configuration errors so that all of them are reported at once.</summary>
public sealed class SettingsErrors
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public bool Any => _lines.Count > 0;

    /// <summary>Records that <paramref name="variable"/> is wrong; never pass the value of a secret.</summary>
    public void Add(string variable, string problem) => _lines.Add($"{variable}: {problem}");

    public void Range(string variable, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(variable, $"{value} is out of range; expected {min}..{max}");
        }
    }
}
