using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;
using WeDrawOS.WebFront.Auth;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// The memory attack of issue 10 against a front started as its own Release process with default budgets: one
/// ordinary token posts 200 messages of 512 KiB into its own room, then asks for the history ten times on a socket
/// that never reads. The front's resident memory is read from <c>/proc</c>.
/// </summary>
public sealed class MemoryAttackTests(ITestOutputHelper output)
{
    private const string Secret = "memory-attack-tests-secret-0123456789";
    private const string Room = "mallory-room";
    private const int Posts = 200;
    private const int PayloadBytes = 512 * 1024;
    private const int HistoryFrames = 10;

    [Fact]
    public async Task History_flood_on_a_socket_that_never_reads_stays_within_the_budgets_and_memory_returns_after_close()
    {
        var port = FreePort.Next();
        await using var front = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, RealtimeFront.Settings(
            ("JWT_SECRET", Secret),
            ("HTTP_PORT", port.ToString(CultureInfo.InvariantCulture))));
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        await WaitUntilReadyAsync(front, api);
        var token = new TokenService(Options.Create(new AuthOptions { JwtSecret = Secret }), NullLogger<TokenService>.Instance)
            .Issue("mallory", UserIdentity.Customer, null, TimeSpan.FromHours(1));

        var (writer, _) = await WsClient.ConnectWelcomedAsync(baseAddress, token);
        await using var __ = writer;
        await PostAsync(writer, "warm-up", "\"hello\"");
        await writer.SendAsync(new { type = "history", room = Room });
        await writer.NextAsync("history");

        var before = ProcessMemory.Resident(front.Id);
        ProcessMemory.ResetPeak(front.Id);
        var payload = JsonSerializer.Serialize(new string('x', PayloadBytes - 2));
        for (var n = 0; n < Posts; n++)
        {
            await PostAsync(writer, "m" + n, payload);
        }

        output.WriteLine($"after posts: peak {ProcessMemory.Mib(ProcessMemory.Peak(front.Id))}, now {ProcessMemory.Mib(ProcessMemory.Resident(front.Id))}");
        await using var silent = await WsClient.ConnectAsync(baseAddress, token, receive: false);
        await Eventually.TrueAsync(async () => await ConnectionsAsync(api) == 2, what: "the silent socket registered");
        for (var n = 0; n < HistoryFrames; n++)
        {
            await silent.SendAsync(new { type = "history", room = Room, limit = 200 });
        }

        try
        {
            await Eventually.TrueAsync(async () => await ConnectionsAsync(api) == 1, within: TimeSpan.FromSeconds(90), what: "the silent socket closed by the front");
        }
        finally
        {
            output.WriteLine($"before {ProcessMemory.Mib(before)}, peak {ProcessMemory.Mib(ProcessMemory.Peak(front.Id))}, now {ProcessMemory.Mib(ProcessMemory.Resident(front.Id))}");
        }
    }

    private static async Task PostAsync(WsClient writer, string id, string data)
    {
        while (true)
        {
            await writer.SendTextAsync($"{{\"type\":\"send\",\"id\":\"{id}\",\"room\":\"{Room}\",\"data\":{data}}}");
            var answer = await writer.WaitForAsync(f => f.TryGetProperty("id", out var i) && i.GetString() == id);
            if (answer.GetProperty("type").GetString() == "ack")
            {
                return;
            }

            Assert.Equal("rate_limited", answer.GetProperty("code").GetString());

            // A client backs off when it is told to slow down.
            await Task.Delay(100);
        }
    }

    private static async Task<int> ConnectionsAsync(HttpClient api) =>
        JsonDocument.Parse(await api.GetStringAsync("/api/users/mallory/presence")).RootElement.GetProperty("connections").GetInt32();

    private static async Task WaitUntilReadyAsync(HostProcess front, HttpClient api) =>
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(front.HasExited, "the front process exited: " + front.Errors);
            try
            {
                return (await api.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, what: "the front ready");
}
