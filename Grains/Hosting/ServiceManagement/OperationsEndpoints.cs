using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using WeDrawOS.Grains.Hosting.Telemetry;

namespace WeDrawOS.Grains.Hosting.ServiceManagement;

/// <summary>Health, status, metrics and dashboard endpoints, the same on silos and fronts.</summary>
public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapWeDrawOSOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Json(new { status = "healthy" }));
        endpoints.MapGet("/health/ready", async (ServiceManager manager, CancellationToken cancellationToken) =>
        {
            var report = await manager.GetReportAsync(cancellationToken);
            return Results.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/api/status", async (ServiceManager manager, CancellationToken cancellationToken) =>
            Results.Json(await manager.GetStatusAsync(cancellationToken)));

        // The Prometheus scrape endpoint has the protection /api/status has: whatever policy guards one guards both.
        endpoints.MapWeDrawOSMetrics();

        if (endpoints.ServiceProvider.GetRequiredService<IOptions<HostingOptions>>().Value.DashboardEnabled)
        {
            endpoints.MapOrleansDashboard(routePrefix: "/dashboard");
        }

        return endpoints;
    }
}
