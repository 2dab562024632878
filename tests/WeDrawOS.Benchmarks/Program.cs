using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using WeDrawOS.Benchmarks;
using WeDrawOS.Benchmarks.Baselines;
using WeDrawOS.Benchmarks.Load;

// Usage: dotnet run -c Release --project tests/WeDrawOS.Benchmarks -- <scenario|all|list> [--json results.json]
if (args is [ClientFleet.Command, ..])
{
    return await ClientFleet.RunAsync(args);
}

if (args is [SignalRRedisServer.Command, ..])
{
    return await SignalRRedisServer.RunAsync(args);
}

if (args is [BareBroadcastFloorServer.Command, ..])
{
    return await BareBroadcastFloorServer.RunAsync(args);
}

var scenarios = typeof(IScenario).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IScenario).IsAssignableFrom(t))
    .Select(t => (IScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

var name = args.FirstOrDefault() ?? "list";
var jsonIndex = Array.IndexOf(args, "--json");
var jsonPath = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;

if (name == "list")
{
    foreach (var s in scenarios)
    {
        Console.WriteLine($"{s.Name,-12} {s.Description}");
    }

    return 0;
}

var selected = name == "all" ? scenarios : scenarios.Where(s => s.Name == name).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"unknown scenario '{name}'; try 'list'");
    return 2;
}

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
var results = new List<ScenarioResult>();
var failed = 0;
foreach (var scenario in selected)
{
    Console.WriteLine();
    Console.WriteLine($"== {scenario.Name}: {scenario.Description}");
    var watch = Stopwatch.StartNew();
    using var timeout = new CancellationTokenSource(scenario.Budget);
    try
    {
        var result = await scenario.RunAsync(timeout.Token);
        results.Add(result);
        ResultTable.Print(result);
    }
    catch (Exception e)
    {
        // One broken scenario must not hide the others' figures.
        failed++;
        Console.WriteLine($"scenario {scenario.Name} failed: {e.GetType().Name}: {e.Message}");
    }

    Console.WriteLine($"({watch.Elapsed.TotalSeconds:F1} s)");
}

if (jsonPath is not null)
{
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new
    {
        machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
        date = DateTimeOffset.UtcNow,
        version = Assembly.GetExecutingAssembly().GetName().Version?.ToString(),
        results,
    }, new JsonSerializerOptions
    {
        WriteIndented = true,
        // A figure that could not be taken is NaN, a latency of deliveries that never came is infinity.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    }));
    Console.WriteLine($"results written to {jsonPath}");
}

return failed == 0 ? 0 : 1;
