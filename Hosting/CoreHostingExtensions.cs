using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using WeDrawOS.Client;
using WeDrawOS.Configuration;
using WeDrawOS.Hosting.Health;
using WeDrawOS.Hosting.Logging;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Hosting.ServiceManagement;
using WeDrawOS.Hosting.Telemetry;
using WeDrawOS.Notifications;
using WeDrawOS.Services.Bridge;
using WeDrawOS.Services.Caching;
using WeDrawOS.Services.Email;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;

namespace WeDrawOS.Hosting;

/// <summary>Wires what silos and fronts share: Orleans, the services grains use, health and status.</summary>
public static class CoreHostingExtensions
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds Orleans (a silo, or in cluster mode on a front an Orleans client unless <c>FRONT_HOSTS_SILO</c>), the shared services and the
    /// service manager. Registration order is start-up order: Redis connection, cache, Orleans, service manager.
    /// A process that hosts grains adds what they use with <c>AddWeDrawOSGrains</c> after this (this project does
    /// not see the grain classes).
    /// </summary>
    public static WebApplicationBuilder AddWeDrawOSCore(this WebApplicationBuilder builder, CoreSettings settings, ProcessRole role)
    {
        var hosting = settings.Hosting;
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // --urls and ASPNETCORE_URLS, ASP.NET Core's own settings, win; HTTP_HOST and HTTP_PORT apply without them.
            builder.WebHost.UseUrls(hosting.Url(role));
        }

        builder.Services.AddSingleton(new ProcessDescription(role));
        builder.AddWeDrawOSTelemetry(settings.Telemetry, role);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(hosting.ShutdownTimeoutSeconds));
        builder.Services.AddTokenRedaction();

        builder.Services.AddSingleton<RedisConnection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
        builder.Services.AddWeDrawOSCache();

        var hostsGrains = hosting.HostsGrains(role, settings.Cluster.Mode);
        if (hostsGrains)
        {
            builder.UseOrleans(silo => silo.UseWeDrawOSSilo(settings.Cluster, hosting, settings.Redis, settings.Failover).UseWeDrawOSTls(settings.ClusterTls));
        }
        else
        {
            // The same client configuration as any other service's (WeDrawOS.Client), plus the dashboard's client side.
            builder.UseOrleansClient(client =>
            {
                client.UseWeDrawOSClient(settings.Cluster, settings.Redis).UseWeDrawOSTls(settings.ClusterTls);
                if (hosting.DashboardEnabled)
                {
                    client.AddDashboard();
                }
            });
        }

        // The outboxes' queue depth: counted by the outboxes where they live, read by /api/status on every process.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotificationQueueGauge>();
        builder.Services.AddSingleton<IStatusSource, NotificationQueueStatusSource>();
        builder.Services.AddWeDrawOSEmail(settings.Mail, hostsGrains);
        builder.Services.AddWeDrawOSSms(settings.Sms, hostsGrains);
        builder.Services.AddWeDrawOSNotificationFacades();
        if (hostsGrains)
        {
            builder.Services.AddWeDrawOSRedisBridge(settings.Cluster, settings.Redis, settings.Cache);
        }

        builder.Services.AddWeDrawOSSecurity(role == ProcessRole.Front ? AuthSchemes.Bearer : null);
        builder.Services.Configure<DashboardOptions>(o => o.HideTrace = !builder.Environment.IsDevelopment());

        builder.Services.AddSingleton<ServiceManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ServiceManager>());
        builder.Services.AddSingleton<IStatusSource, SilosStatusSource>();
        builder.Services.AddSingleton<IStatusSource, CacheModeStatusSource>();
        builder.Services.AddHealthChecks()
            .AddCheck<OrleansHealthCheck>("orleans", tags: [ServiceManager.ReadyTag], timeout: HealthCheckTimeout)
            .AddCheck<RedisHealthCheck>("redis", tags: [ServiceManager.ReadyTag], timeout: HealthCheckTimeout)
            .AddCheck<SmtpHealthCheck>("smtp", tags: [ServiceManager.ReadyTag], timeout: HealthCheckTimeout)
            .AddCheck<SmsHealthCheck>("sms", tags: [ServiceManager.ReadyTag], timeout: HealthCheckTimeout);
        return builder;
    }
}
