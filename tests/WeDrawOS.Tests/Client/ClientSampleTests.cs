using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Client;

/// <summary>
/// The client library as another .NET service uses it: the sample (samples/WeDrawOS.Client.Sample) runs as its own
/// process, configured only by environment variables, against two silos and a front on a real Redis.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class ClientSampleTests(SharedRedis redis)
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromMinutes(2);

    // The sample runs from its own build output, as a service of its own would: with its own dependencies.
    private static readonly string SamplePath = Path.GetFullPath(typeof(ClientSampleTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ClientSample").Value!);

    [Fact]
    public async Task Sample_posts_to_a_room_sends_to_a_user_and_receives_its_own_event()
    {
        var clusterId = "client-sample-" + Guid.NewGuid().ToString("N")[..8];
        var settings = TestHost.ClusterSettings(redis, clusterId);
        await using var siloA = await TestHost.StartSiloAsync(settings);
        await using var siloB = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        var frontSettings = TestHost.ClusterSettings(redis, clusterId);
        frontSettings["API_KEY"] = RealtimeFront.ApiKey;
        frontSettings["JWT_SECRET"] = "client-sample-secret-0123456789abcdef";
        await using var front = await TestHost.StartFrontAsync(frontSettings);
        await using var alice = await front.ConnectAsync("alice");
        await using var bob = await front.ConnectAsync("bob");
        Assert.Equal("joined", (await alice.JoinAsync("orders")).GetProperty("type").GetString());

        var (exitCode, output) = await RunSampleAsync(settings, "orders", "bob");

        Assert.True(exitCode == 0, $"the sample exited with {exitCode}; it printed:\n{output}");
        Assert.Contains("posted room=orders seq=1 duplicate=False", output, StringComparison.Ordinal);
        Assert.Contains("posted again room=orders seq=1 duplicate=True", output, StringComparison.Ordinal);
        Assert.Contains("sent user=bob seq=1 online=True", output, StringComparison.Ordinal);
        Assert.Contains("member alice online=True", output, StringComparison.Ordinal);
        Assert.Contains("event message user=sample room=orders", output, StringComparison.Ordinal);
        Assert.Contains("own message event received", output, StringComparison.Ordinal);

        // What the sample posted reached the socket in the room once (the re-send was a duplicate) and is in the history.
        var posted = await alice.NextAsync("message", m => m.GetProperty("from").GetString() == "sample");
        Assert.Equal(("orders", 1), (posted.GetProperty("room").GetString(), posted.GetProperty("seq").GetInt64()));
        Assert.Equal("hello from the sample", posted.GetProperty("data").GetProperty("text").GetString());
        var direct = await bob.NextAsync("message", m => m.GetProperty("from").GetString() == "sample");
        Assert.Equal("a direct message from the sample", direct.GetProperty("data").GetProperty("text").GetString());

        using var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        var history = JsonDocument.Parse(await api.GetStringAsync("/api/rooms/orders/history")).RootElement.GetProperty("messages");
        Assert.Equal(1, history.GetArrayLength());
        Assert.Equal("sample", history[0].GetProperty("from").GetString());
        Assert.Empty(alice.Unread("message"));
    }

    [Fact]
    public async Task Sample_with_a_bad_setting_exits_with_2_naming_the_variable()
    {
        var settings = new Dictionary<string, string> { ["CLUSTER_MODE"] = "redis", ["STREAM_QUEUE_COUNT"] = "0", ["REDIS_PORT"] = "abc" };

        var (exitCode, output) = await RunSampleAsync(settings);

        Assert.Equal(2, exitCode);
        Assert.Contains("STREAM_QUEUE_COUNT", output, StringComparison.Ordinal);
        Assert.Contains("REDIS_PORT: 'abc' is not a whole number", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the sample to its end: its exit code and everything it printed (standard output and errors).</summary>
    private static async Task<(int ExitCode, string Output)> RunSampleAsync(IDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(SamplePath)! };
        start.ArgumentList.Add(SamplePath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        await using var sample = ChildProcess.Start(start);
        var exitCode = await sample.WaitForExitAsync(SampleTimeout);
        return (exitCode, sample.Output + sample.Errors);
    }
}
