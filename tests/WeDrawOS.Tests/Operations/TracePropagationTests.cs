using System.Globalization;
using System.Net.Http.Json;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Realtime;
using WeDrawOS.Tests.Sms;
using WeDrawOS.Tests.Sms.Stubs;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Operations;

/// <summary>One trace from an HTTP caller through the front, the outbox grain on a silo, to the SMS provider's HTTP API.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class TracePropagationTests(SharedRedis redis)
{
    [Fact]
    public async Task A_callers_trace_reaches_the_sms_provider_through_front_and_silo()
    {
        await using var twilio = new TwilioStub();
        await twilio.StartAsync();
        await using var otlp = await OtlpReceiver.StartAsync();
        var clusterId = "ops-trace-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Member(int httpPort) => NotificationApi.Fast(TestHost.ClusterSettings(redis, clusterId).With(twilio.Settings()).With(new Dictionary<string, string>
        {
            ["HTTP_PORT"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["SMS_PROVIDERS"] = "twilio",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }));

        // Separate processes, as deployed: this one then records no activity, so its HttpClient sends the caller's
        // traceparent as given instead of one of its own spans.
        var siloPort = FreePort.Next();
        var frontPort = FreePort.Next();
        await using var silo = HostProcess.Start(typeof(SiloApp).Assembly.Location, Member(siloPort));
        await using var front = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, Member(frontPort));
        using var caller = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{frontPort}") };
        caller.DefaultRequestHeaders.Add("X-Api-Key", NotificationApi.ApiKey);
        await HostProcess.WaitUntilReadyAsync(silo, new Uri($"http://127.0.0.1:{siloPort}"));
        await HostProcess.WaitUntilReadyAsync(front, caller.BaseAddress);

        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string callerSpan = "0123456789abcdef";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sms/verification-code")
        {
            Content = JsonContent.Create(new { phone = TestPhones.Next(), code = "246810", expireMinutes = 5 }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        using var response = await caller.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        await twilio.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        var parts = Assert.Single(twilio.TraceParents).Split('-');
        Assert.Equal(traceId, parts[1]);
        Assert.NotEqual(callerSpan, parts[2]);

        await Eventually.TrueAsync(() => Task.FromResult(otlp.HasSpanOf(traceId, "wedrawos-front") && otlp.HasSpanOf(traceId, "wedrawos-silo")),
            what: "spans of the trace exported by the front and by the silo");
    }
}
