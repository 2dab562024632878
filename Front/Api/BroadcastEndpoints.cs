using Microsoft.Extensions.Options;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Api;

/// <summary><c>POST /api/broadcast</c>: a message to every connected user on every front.</summary>
public static class BroadcastEndpoints
{
    public static IEndpointRouteBuilder MapBroadcastApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/broadcast").RequireAuthorization(AuthPolicies.Admin).MapPost("/", async (RealtimeApiRequest? body, IClusterClient cluster, IOptions<SocketOptions> options) =>
        {
            if (RealtimeApiRequest.Refusal(body, options.Value.MaxMessageSize) is { } refusal)
            {
                return refusal;
            }

            var sent = await cluster.GetGrain<IBroadcastGrain>(StreamNames.AllKey).Broadcast(body!.Data!.Value.GetRawText());
            return Results.Json(new { ts = sent.Ts }, statusCode: StatusCodes.Status202Accepted);
        });
        return endpoints;
    }
}
