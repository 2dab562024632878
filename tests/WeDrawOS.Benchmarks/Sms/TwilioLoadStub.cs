using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeDrawOS.Services.Sms.Twilio;

namespace WeDrawOS.Benchmarks.Sms;

/// <summary>
/// A Twilio Messages API on loopback for load: checks the Basic credentials, answers every
/// <see cref="ThrottleEvery"/>th request with 429 and <c>Retry-After: 1</c>, and counts a number that comes back
/// before its Retry-After has passed as a violation.
/// </summary>
public sealed class TwilioLoadStub : IAsyncDisposable
{
    public const string AccountSid = "ACbench0123456789abcdef0123456789";
    public const string AuthToken = "bench-auth-token";
    public const int ThrottleEvery = 50;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly string _expectedAuthorization = TwilioBasicAuth.Header(AccountSid, AuthToken).ToString();
    private readonly ConcurrentDictionary<string, long> _throttledAt = new();
    private readonly ConcurrentDictionary<string, bool> _delivered = new();
    private WebApplication? _app;
    private long _requests;
    private long _throttled;
    private long _violations;
    private long _rejected;

    public Uri BaseUrl { get; private set; } = null!;

    public long Requests => Interlocked.Read(ref _requests);

    public long Throttled => Interlocked.Read(ref _throttled);

    public long Violations => Interlocked.Read(ref _violations);

    public long Rejected => Interlocked.Read(ref _rejected);

    public int Delivered => _delivered.Count;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", HandleAsync);
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public void Reset()
    {
        _throttledAt.Clear();
        _delivered.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _throttled, 0);
        Interlocked.Exchange(ref _violations, 0);
        Interlocked.Exchange(ref _rejected, 0);
    }

    public async Task WaitForDeliveredAsync(int count, CancellationToken cancellationToken)
    {
        while (Delivered < count)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task HandleAsync(HttpContext context, string sid)
    {
        var number = Interlocked.Increment(ref _requests);
        if (sid != AccountSid || context.Request.Headers.Authorization.ToString() != _expectedAuthorization)
        {
            Interlocked.Increment(ref _rejected);
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"code":20003,"message":"Authenticate","status":401}""");
            return;
        }

        var to = (await context.Request.ReadFormAsync())["To"].ToString();
        var now = Stopwatch.GetTimestamp();
        if (_throttledAt.TryGetValue(to, out var at) && Stopwatch.GetElapsedTime(at, now) < RetryAfter)
        {
            Interlocked.Increment(ref _violations);
        }

        context.Response.ContentType = "application/json";
        if (number % ThrottleEvery == 0 || (_throttledAt.ContainsKey(to) && Stopwatch.GetElapsedTime(_throttledAt[to], now) < RetryAfter))
        {
            _throttledAt[to] = now;
            Interlocked.Increment(ref _throttled);
            context.Response.StatusCode = (int)HttpStatusCode.TooManyRequests;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync("""{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}""");
            return;
        }

        _delivered[to] = true;
        context.Response.StatusCode = 201;
        await context.Response.WriteAsync($$"""{"sid":"SM{{number:x32}}","status":"queued","to":"{{to}}"}""");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
