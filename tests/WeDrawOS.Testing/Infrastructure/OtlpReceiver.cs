using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// An OTLP/HTTP receiver on a free loopback port (real Kestrel) that keeps the protobuf bodies posted to
/// <c>/v1/traces</c>: enough to tell which processes exported spans of a given trace, since a span carries its trace
/// id as 16 raw bytes and its batch carries the process's <c>service.name</c> as text.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>).</summary>
    public Uri Endpoint { get; }

    public ConcurrentQueue<byte[]> TraceBatches { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.TraceBatches.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Whether a batch exported by <paramref name="serviceName"/> holds a span of the trace <paramref name="traceId"/> (32 hex digits).</summary>
    public bool HasSpanOf(string traceId, string serviceName)
    {
        var id = Convert.FromHexString(traceId);
        var service = System.Text.Encoding.UTF8.GetBytes(serviceName);
        return TraceBatches.Any(batch => batch.AsSpan().IndexOf(id) >= 0 && batch.AsSpan().IndexOf(service) >= 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
