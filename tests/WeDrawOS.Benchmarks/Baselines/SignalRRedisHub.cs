using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace WeDrawOS.Benchmarks.Baselines;

/// <summary>The cluster baseline's hub: join a room (a group), send to the room's other members (an ack is the invocation's completion).</summary>
public sealed class SignalRRedisHub : Hub
{
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    public Task Send(string room, JsonElement data) => Clients.OthersInGroup(room).SendAsync("message", room, data);
}
