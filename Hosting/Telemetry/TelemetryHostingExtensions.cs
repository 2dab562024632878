using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;
using Prometheus;
using WeDrawOS.Services.Telemetry;

namespace WeDrawOS.Hosting.Telemetry;

/// <summary>Logs, metrics and traces, the same for silos and fronts.</summary>
public static class TelemetryHostingExtensions
{
    /// <summary>Meters of this system; each feature has its own (see docs/operations.md).</summary>
    public const string MetersWildcard = "WeDrawOS.*";

    /// <summary>
    /// JSON console logs with <c>LOG_FORMAT=json</c>; the metrics; the Prometheus bridge behind <c>/metrics</c>;
    /// and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OpenTelemetry metrics and traces pushed there.
    /// </summary>
    public static WebApplicationBuilder AddWeDrawOSTelemetry(this WebApplicationBuilder builder, TelemetryOptions options, ProcessRole role)
    {
        if (options.LogFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        var services = builder.Services;
        services.AddMetrics();
        if (options.MetricsEnabled)
        {
            services.AddSingleton<PrometheusMeterBridge>();
            services.AddHostedService(sp => sp.GetRequiredService<PrometheusMeterBridge>());
        }

        if (options.ExportsOtlp)
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(options.ServiceNameFor(role), serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId))
                .WithMetrics(metrics => metrics
                    .AddMeter(MetersWildcard, "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation())
                .WithTracing(tracing => tracing
                    .AddSource(WeDrawOSTracing.SourceName, ActivitySources.AllActivitySourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Maps <c>/metrics</c> (Prometheus text format) when <c>METRICS_ENABLED</c>. It carries the same protection as
    /// <c>/api/status</c>: callers add the operations policy to the returned builder together with that endpoint's.
    /// </summary>
    public static IEndpointConventionBuilder? MapWeDrawOSMetrics(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        return options.MetricsEnabled
            ? endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<PrometheusMeterBridge>().Registry)
            : null;
    }

    // Scrapes and probes every few seconds would drown the traces that matter.
    private static bool IsScrapeOrProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");
}
