using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>
/// The service manager of the original system: knows every service's state, reports it as one document
/// (<c>/health/ready</c> and <see cref="GetReportAsync"/>), and logs the start-up and shutdown of the process.
/// Services start in registration order (Redis connection, Orleans, then the web front's sockets) and stop in reverse.
/// </summary>
public sealed partial class ServiceManager(
    HealthCheckService healthChecks,
    IEnumerable<IStatusSource> statusSources,
    IHostApplicationLifetime lifetime,
    IOptions<HostingOptions> hosting,
    IOptions<ClusterSettings> cluster,
    ProcessDescription process,
    IServer server,
    ILogger<ServiceManager> logger) : IHostedService
{
    /// <summary>Tag of the health checks that decide readiness.</summary>
    public const string ReadyTag = "ready";

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Every service's state; the overall status is the worst of them.</summary>
    public async Task<ServicesReport> GetReportAsync(CancellationToken cancellationToken = default)
    {
        var report = await healthChecks.CheckHealthAsync(c => c.Tags.Contains(ReadyTag), cancellationToken);
        var services = report.Entries.ToDictionary(
            e => e.Key,
            e => new ServiceState(Format(e.Value.Status), e.Value.Description ?? Format(e.Value.Status)));
        return new ServicesReport(Format(report.Status), services);
    }

    /// <summary>The figures of <c>/api/status</c>: uptime plus one field per <see cref="IStatusSource"/>.</summary>
    public async Task<IReadOnlyDictionary<string, object?>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = new Dictionary<string, object?>
        {
            ["mode"] = cluster.Value.Mode.ToString().ToLowerInvariant(),
            ["startedAt"] = StartedAt,
            ["uptimeSeconds"] = Math.Round((DateTimeOffset.UtcNow - StartedAt).TotalSeconds, 1),
        };
        foreach (var source in statusSources)
        {
            try
            {
                status[source.Name] = await source.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failing figure must not hide the others; the reason is logged, not returned.
                LogStatusSourceFailed(e, source.Name);
                status[source.Name] = null;
            }
        }

        return status;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = LogStartedAsync());
        lifetime.ApplicationStopping.Register(() => LogStopping(hosting.Value.ShutdownTimeoutSeconds));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopped();
        return Task.CompletedTask;
    }

    private async Task LogStartedAsync()
    {
        var report = await GetReportAsync(lifetime.ApplicationStopping);
        var h = hosting.Value;
        var c = cluster.Value;
        var urls = string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var orleans = !h.HostsGrains(process.Role, c.Mode)
            ? $"Orleans client of cluster {c.ClusterId}"
            : $"silo port {h.SiloPort}, gateway port {c.GatewayPort}, cluster {c.ClusterId}";
        LogStarted(process.Name, c.Mode.ToString().ToLowerInvariant(), urls, orleans, report.Status);
        foreach (var (name, state) in report.Services)
        {
            LogService(name, state.Status, state.Description);
        }
    }

    private static string Format(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "WeDrawOS {Process} started in {Mode} mode: HTTP on {Urls}; {Orleans}; {Status}")]
    private partial void LogStarted(string process, string mode, string urls, string orleans, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "  {Service}: {Status} - {Description}")]
    private partial void LogService(string service, string status, string? description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down gracefully (at most {Seconds} s)")]
    private partial void LogStopping(int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "All services stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status source {Source} failed")]
    private partial void LogStatusSourceFailed(Exception exception, string source);
}
