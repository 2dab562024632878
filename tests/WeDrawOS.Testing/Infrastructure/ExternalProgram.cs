namespace WeDrawOS.Tests.Infrastructure;

/// <summary>Finds the real servers the tests talk to. A missing one fails the test with a hint, never skips it.</summary>
public static class ExternalProgram
{
    public static string Find(string name, string overrideVariable)
    {
        var configured = Environment.GetEnvironmentVariable(overrideVariable);
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{name} is not installed. Run scripts/test.sh, which installs it from Debian's packages, or set {overrideVariable}.");
    }
}
