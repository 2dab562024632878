using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, finding 9: with every category at Trace, the console of a real front shows the requests that carried
/// tokens in <c>access_token</c> (a socket, a refused socket, a plain request) but never a token.
/// </summary>
public sealed class TokenRedactionTests
{
    [Fact]
    public async Task Tokens_in_the_url_never_reach_the_log_at_trace_level()
    {
        var settings = ServedProcess.Settings("Development");
        settings["Logging__LogLevel__Default"] = "Trace";
        settings["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace";
        settings["Logging__LogLevel__Orleans"] = "Information";
        settings["Logging__Console__FormatterName"] = "simple";
        await using var front = await ServedProcess.StartAsync(ServedProcess.Assembly(settings));
        var issued = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice" });
        var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        var forged = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        await using (var alice = await WsClient.ConnectAsync(front.BaseAddress, token))
        {
            Assert.Equal("welcome", (await alice.NextAsync()).GetProperty("type").GetString());
        }

        using (var refused = new ClientWebSocket())
        {
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(WsClient.SocketUri(front.BaseAddress, forged), CancellationToken.None));
        }

        await front.Http.GetAsync("/health/live?access_token=" + Uri.EscapeDataString(token));
        await Eventually.TrueAsync(
            () => Task.FromResult(front.Output.Contains("Request finished HTTP/1.1 GET http://127.0.0.1:" + front.BaseAddress.Port + "/health/live?access_token=", StringComparison.Ordinal)),
            what: "the plain request being logged");

        var log = front.Output;
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.Contains("/ws?access_token=[redacted]", log, StringComparison.Ordinal);
        Assert.Contains("/health/live?access_token=[redacted]", log, StringComparison.Ordinal);
        Assert.DoesNotContain(forged, log, StringComparison.Ordinal);
        // Not even the signature alone (the part that makes a token usable).
        Assert.DoesNotContain(token[(token.LastIndexOf('.') + 1)..], log, StringComparison.Ordinal);
    }
}
