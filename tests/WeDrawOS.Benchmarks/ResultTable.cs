using System.Globalization;

namespace WeDrawOS.Benchmarks;

/// <summary>Prints a scenario's measurements as a Markdown table, ready for docs/performance.md.</summary>
public static class ResultTable
{
    public static void Print(ScenarioResult result)
    {
        Console.WriteLine("| measurement | value | unit | vs | ratio | target | met |");
        Console.WriteLine("|---|---:|---|---|---:|---|---|");
        foreach (var m in result.Measurements)
        {
            var ratio = m.Ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "";
            var met = m.Met switch { true => "yes", false => "no", null => "" };
            Console.WriteLine($"| {m.Name} | {m.Value.ToString("#,0.###", CultureInfo.InvariantCulture)} | {m.Unit} | {m.Baseline} | {ratio} | {m.Target} | {met} |");
        }

        foreach (var note in result.Notes)
        {
            Console.WriteLine("- " + note);
        }
    }
}
