using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Api;

/// <summary><c>POST /api/broadcast</c>: a message to every connected user on every front.</summary>
public static class BroadcastEndpoints
{
    public static IEndpointRouteBuilder MapBroadcastApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/broadcast").RequireAuthorization(AuthPolicies.Admin).MapPost("/", async (RealtimeApiRequest? body, IClusterClient cluster) =>
        {
            if ((body is null ? "需要 JSON 请求体 / a JSON body is required" : body.Problem()) is { } problem)
            {
                return ApiProblems.BadRequest(problem);
            }

            var sent = await cluster.GetGrain<IBroadcastGrain>(StreamNames.AllKey).Broadcast(body!.Data!.Value.GetRawText());
            return Results.Json(new { ts = sent.Ts }, statusCode: StatusCodes.Status202Accepted);
        });
        return endpoints;
    }
}
