using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a free loopback port, scraping the given targets every second
/// with a generated configuration and a private data folder; queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly DirectoryInfo _folder;

    private PrometheusServer(ChildProcess process, DirectoryInfo folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts Prometheus with one job per target (its <c>/metrics</c>, read with the API key the way Prometheus 2
    /// can send it, <c>Authorization: ApiKey</c>) and waits until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<(string Job, Uri Target)> targets, string apiKey)
    {
        var folder = Directory.CreateTempSubdirectory("wedrawos-prometheus-");
        var config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var (job, target) in targets)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    metrics_path: /metrics\n    authorization:\n      type: ApiKey\n      credentials: '{apiKey}'\n    static_configs:\n      - targets: ['{target.Authority}']\n");
        }

        var configFile = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());
        var port = FreePort.Next();
        var process = ChildProcess.Start(new ProcessStartInfo(ExternalProgram.Find("prometheus", "PROMETHEUS_BIN"))
        {
            ArgumentList =
            {
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + Path.Combine(folder.FullName, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            },
            WorkingDirectory = folder.FullName,
        });
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}"));
        await process.WaitUntilHttpOkAsync(new Uri(server.Http.BaseAddress!, "/-/ready"), "prometheus ready");
        return server;
    }

    /// <summary>An instant query (<c>/api/v1/query</c>): the samples of its vector result, by their labels.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var answer = await Http.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return answer.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(sample => (
                (IReadOnlyDictionary<string, string>)sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>The single value of a query that yields one sample, or null while it yields none.</summary>
    public async Task<double?> ScalarAsync(string promql) => (await QueryAsync(promql)) is [var only] ? only.Value : null;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
