using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Hosting.Telemetry;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>
/// Health, status, metrics and dashboard endpoints, the same on silos and fronts. Health stays open for load
/// balancers, but only callers the <c>admin</c> policy admits (API key, admin token) see the descriptions, which name
/// hosts, ports and folders; <c>/api/status</c> and <c>/metrics</c> are for them only. The dashboard needs its HTTP
/// Basic credentials when they are set, and outside Development it is off without them.
/// </summary>
public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapWeDrawOSOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Json(new { status = "healthy" }));
        endpoints.MapGet("/health/ready", async (HttpContext context, ServiceManager manager, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var report = await manager.GetReportAsync(cancellationToken);
            var shown = (await authorization.AuthorizeAsync(context.User, AuthPolicies.Admin)).Succeeded ? report : report.WithoutDescriptions();
            return Results.Json(shown, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/api/status", async (ServiceManager manager, CancellationToken cancellationToken) =>
            Results.Json(await manager.GetStatusAsync(cancellationToken))).RequireAuthorization(AuthPolicies.Admin);

        // The Prometheus scrape endpoint has the protection /api/status has.
        endpoints.MapWeDrawOSMetrics()?.RequireAuthorization(AuthPolicies.Admin);

        var services = endpoints.ServiceProvider;
        var security = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        if (services.GetRequiredService<IOptions<HostingOptions>>().Value.DashboardEnabled
            && (security.HasDashboardCredentials || services.GetRequiredService<IHostEnvironment>().IsDevelopment()))
        {
            var dashboard = endpoints.MapOrleansDashboard(routePrefix: "/dashboard");
            if (security.HasDashboardCredentials)
            {
                dashboard.RequireAuthorization(AuthPolicies.Dashboard);
            }
        }

        return endpoints;
    }
}
