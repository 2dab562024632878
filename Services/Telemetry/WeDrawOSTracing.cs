using System.Diagnostics;

namespace WeDrawOS.Services.Telemetry;

/// <summary>
/// The activity source of this system's own spans (socket frames, outbox sends, SMTP and SMS provider calls).
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null while nothing listens, which is the
/// case unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, so the spans cost nothing then.
/// </summary>
public static class WeDrawOSTracing
{
    public const string SourceName = "WeDrawOS";

    public static readonly ActivitySource Source = new(SourceName);
}
