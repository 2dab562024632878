using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting.Telemetry;

/// <summary>
/// Logs, metrics and traces. The OpenTelemetry variables keep their standard names, so the SDK's own variables
/// (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, ...) work beside them.
/// </summary>
public sealed class TelemetryOptions : ISettings
{
    [ConfigurationKeyName("LOG_FORMAT")]
    public LogFormat LogFormat { get; set; } = LogFormat.Text;

    /// <summary>Where metrics and traces are pushed over OTLP; none means no OTLP export and no trace is recorded.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }

    /// <summary>The <c>service.name</c> of this process's metrics and traces; by default <c>wedrawos-front</c> or <c>wedrawos-silo</c>.</summary>
    [ConfigurationKeyName("OTEL_SERVICE_NAME")]
    public string? ServiceName { get; set; }

    /// <summary>Serve the Prometheus scrape endpoint <c>/metrics</c>.</summary>
    [ConfigurationKeyName("METRICS_ENABLED")]
    public bool MetricsEnabled { get; set; } = true;

    public bool ExportsOtlp => !string.IsNullOrEmpty(OtlpEndpoint);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        if (ExportsOtlp && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add("OTEL_EXPORTER_OTLP_ENDPOINT", $"'{OtlpEndpoint}' is not an http:// or https:// URL");
        }
    }

    /// <summary>The service name of a process of <paramref name="role"/>.</summary>
    public string ServiceNameFor(ProcessRole role) =>
        string.IsNullOrWhiteSpace(ServiceName) ? (role == ProcessRole.Silo ? "wedrawos-silo" : "wedrawos-front") : ServiceName;
}
