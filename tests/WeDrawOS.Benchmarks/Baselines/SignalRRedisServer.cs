using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace WeDrawOS.Benchmarks.Baselines;

/// <summary>
/// One server of the cluster baseline: ASP.NET Core SignalR with its Redis backplane, in a process of its own
/// (<c>WeDrawOS.Benchmarks __signalr-redis PORT REDIS</c>) as each front of this system is. Serves <c>/hub</c>,
/// <c>GET /ready</c> and <c>POST /broadcast</c> (the body to every connection of every server), until killed.
/// </summary>
public static class SignalRRedisServer
{
    public const string Command = "__signalr-redis";

    /// <summary>The server process's main: <c>args</c> are the command, the HTTP port and the Redis endpoint.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services
            .AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 1024 * 1024;
                // The load clients send no keep-alive pings between bursts (a browser client sends one every 15 s).
                o.ClientTimeoutInterval = TimeSpan.FromMinutes(10);
            })
            .AddStackExchangeRedis(args[2], o => o.Configuration.ChannelPrefix = RedisChannel.Literal("bench"));
        await using var app = builder.Build();
        app.MapHub<SignalRRedisHub>("/hub");
        app.MapGet("/ready", () => Results.Ok());
        app.MapPost("/broadcast", async (JsonElement data, IHubContext<SignalRRedisHub> hub) =>
        {
            await hub.Clients.All.SendAsync("broadcast", data);
            return Results.Accepted();
        });
        await app.RunAsync();
        return 0;
    }
}
