using Microsoft.AspNetCore.SignalR;

namespace WeDrawOS.Benchmarks.Baselines;

/// <summary>The usual .NET choice: an ASP.NET Core SignalR hub, members in a group, the sender's message sent to the others in the group.</summary>
public sealed class SignalRGroupServer : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri HubUri { get; private set; } = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        _app = builder.Build();
        _app.MapHub<RoomHub>("/hub");
        await _app.StartAsync();
        HubUri = new Uri(_app.Urls.First() + "/hub");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Join a room, send to the room's other members.</summary>
    public sealed class RoomHub : Hub
    {
        public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

        public Task Send(string room, string payload) => Clients.OthersInGroup(room).SendAsync("message", payload);
    }
}
