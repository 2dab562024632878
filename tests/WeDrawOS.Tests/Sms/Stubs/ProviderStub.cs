using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Sms.Stubs;

/// <summary>
/// A provider's HTTP API on a free loopback port (real Kestrel): checks the request's signature the way the
/// provider does, and answers with the provider's real success and error bodies, chosen by <see cref="Answer"/>.
/// </summary>
public abstract class ProviderStub : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>What correctly signed requests get; tests change it between sends.</summary>
    public StubAnswer Answer { get; set; } = StubAnswer.Accept;

    /// <summary>Requests whose signature (or credentials) checked out, in arrival order.</summary>
    public ConcurrentQueue<StubRequest> Accepted { get; } = new();

    /// <summary>The W3C <c>traceparent</c> header of every request that carried one, in arrival order.</summary>
    public ConcurrentQueue<string> TraceParents { get; } = new();

    /// <summary>Requests refused because the signature or credentials did not check out.</summary>
    public int Rejected => _rejected;

    private int _rejected;

    public async Task StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _app = builder.Build();
        _app.Run(context =>
        {
            if (context.Request.Headers.TryGetValue("traceparent", out var traceParent))
            {
                TraceParents.Enqueue(traceParent.ToString());
            }

            return HandleAsync(context);
        });
        await _app.StartAsync();
        BaseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The variables that point the provider at this stub, as a host is configured in production.</summary>
    public abstract Dictionary<string, string> Settings();

    /// <summary>Waits until at least <paramref name="count"/> signed requests arrived, or fails after <paramref name="timeout"/>.</summary>
    public Task WaitForCountAsync(int count, TimeSpan timeout) =>
        Eventually.TrueAsync(() => Task.FromResult(Accepted.Count >= count), timeout, $"{count} signed requests at the stub");

    protected abstract Task HandleAsync(HttpContext context);

    protected void CountRejected() => Interlocked.Increment(ref _rejected);

    /// <summary>Waits until the client gives up, for <see cref="StubAnswer.Hang"/>.</summary>
    protected static async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client timed out and closed the connection, which is the point.
        }
    }

    protected static Task JsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    protected static string RequestId() => Guid.NewGuid().ToString("D").ToUpperInvariant();
}
