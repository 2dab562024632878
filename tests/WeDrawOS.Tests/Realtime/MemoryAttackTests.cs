using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeDrawOS.Front.Auth;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// The memory attack of issue 10 against a front started as its own process (the build the tests run, Release in CI)
/// with the default budgets: one ordinary token posts 200 messages of 512 KiB into its own room, then asks for the
/// history ten times on a socket that never reads. The front's resident memory is read from <c>/proc</c>: before
/// (after a full GC), its peak (the kernel's high-water mark, reset before the attack) and after both sockets closed.
/// <para>
/// The front gets a GC heap of <see cref="HeapLimit"/> (<c>DOTNET_GCHeapHardLimit</c>): the attack must run inside it,
/// and the server GC sizes its generations by it instead of by the machine, so resident memory follows what the front
/// holds rather than garbage it has not yet had a reason to collect. Full GCs are induced from outside through the
/// runtime's diagnostics port, so the front needs no endpoint for it. "Given back" means: within a minute of full GCs
/// after the close, the front is back to what it was before plus what the room keeps by design (its history: the data
/// as UTF-16 strings and its stored copy, <see cref="HistoryFootprint"/>) plus <see cref="RuntimeSlack"/> for the
/// runtime's own caches, not attributed precisely: most likely the shared array pool, which keeps per thread one array
/// of each size a large frame was read into (about 2 MiB per thread, and a loaded machine runs dozens), Kestrel's
/// blocks and GC regions not yet returned. Measured on the shared machine: 78 to 156 MiB above the start after the
/// close, the peak 173 to 210 MiB above it. So this check is coarse: it catches what the attack used to leave behind
/// (2.5 GiB; 250 MiB in the events stream's cache), not a few tens of MiB.
/// </para>
/// </summary>
public sealed class MemoryAttackTests(ITestOutputHelper output)
{
    private const string Secret = "memory-attack-tests-secret-0123456789";
    private const string Room = "mallory-room";
    private const int Posts = 200;
    private const int PayloadBytes = 512 * 1024;
    private const int HistoryFrames = 10;
    private const long MiB = 1024 * 1024;
    private const long HeapLimit = 256 * MiB;
    private const long RuntimeSlack = 160 * MiB;
    private static readonly long HistoryFootprint = 4L * new Grains.Realtime.RealtimeOptions().RoomHistoryMaxBytes;

    [Fact]
    public async Task History_flood_on_a_socket_that_never_reads_stays_within_the_budgets_and_memory_returns_after_close()
    {
        var port = FreePort.Next();
        await using var front = HostProcess.Start(typeof(WebFrontApp).Assembly.Location, RealtimeFront.Settings(
            ("JWT_SECRET", Secret),
            ("HTTP_PORT", port.ToString(CultureInfo.InvariantCulture)),
            ("DOTNET_GCHeapHardLimit", HeapLimit.ToString("x", CultureInfo.InvariantCulture))));
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var api = RealtimeFront.ApiClient(baseAddress);
        await HostProcess.WaitUntilReadyAsync(front, baseAddress);
        var token = new TokenService(Options.Create(new AuthOptions { JwtSecret = Secret }), NullLogger<TokenService>.Instance)
            .Issue("mallory", UserIdentity.Customer, null, TimeSpan.FromHours(1));

        // Warm up every path of the attack, so that what is measured is the attack, not the first use of the code.
        var (writer, _) = await WsClient.ConnectWelcomedAsync(baseAddress, token);
        await PostAsync(writer, "warm-up", "\"hello\"");
        await writer.SendAsync(new { type = "history", room = Room });
        await writer.NextAsync("history");
        await ProcessMemory.CollectGarbageAsync(front.Id);
        var before = ProcessMemory.Resident(front.Id);
        ProcessMemory.ResetPeak(front.Id);

        var payload = JsonSerializer.Serialize(new string('x', PayloadBytes - 2));
        for (var n = 0; n < Posts; n++)
        {
            await PostAsync(writer, "m" + n, payload);
        }

        var afterPosts = ProcessMemory.Peak(front.Id);
        await using (var silent = await WsClient.ConnectAsync(baseAddress, token, receive: false))
        {
            for (var n = 0; n < HistoryFrames; n++)
            {
                await silent.SendAsync(new { type = "history", room = Room, limit = 200 });
            }

            // Frames are handled in order: once this join shows in the probe room's presence, every history answer
            // was built and queued (or refused by the send queue's budget, which closes the socket with 1013).
            await silent.SendAsync(new { type = "join", room = "probe" });
            await Eventually.TrueAsync(async () => (await api.GetStringAsync("/api/rooms/probe/presence")).Contains("mallory", StringComparison.Ordinal), what: "the silent socket's frames handled");
        }

        var peak = ProcessMemory.Peak(front.Id);
        var beforeClose = ProcessMemory.Resident(front.Id);
        await writer.CloseAsync();
        await writer.DisposeAsync();
        await Eventually.TrueAsync(async () => await ConnectionsAsync(api) == 0, what: "the writer gone");
        long after = 0;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                await ProcessMemory.CollectGarbageAsync(front.Id);
                return (after = ProcessMemory.Resident(front.Id)) <= before + HistoryFootprint + RuntimeSlack;
            }, within: TimeSpan.FromSeconds(60), what: "memory given back");
        }
        finally
        {
            output.WriteLine($"front RSS before {ProcessMemory.Mib(before)}, peak after the posts {ProcessMemory.Mib(afterPosts)}, peak {ProcessMemory.Mib(peak)}, before close {ProcessMemory.Mib(beforeClose)}, after close and a full GC {ProcessMemory.Mib(after)}");
        }

        Assert.True(peak - before <= HeapLimit, $"the attack grew the front by {ProcessMemory.Mib(peak - before)}");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/health/ready")).StatusCode);
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
}
