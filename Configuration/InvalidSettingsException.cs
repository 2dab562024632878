namespace WeDrawOS.Configuration;

/// <summary>Thrown at start-up when configuration values are invalid; each line names a variable.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>Writes the problems for an operator and returns the process exit code to use.</summary>
    public int Report()
    {
        Console.Error.WriteLine("Invalid configuration:");
        foreach (var line in Problems)
        {
            Console.Error.WriteLine("  " + line);
        }

        return 2;
    }
}
