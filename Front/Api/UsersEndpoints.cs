using Microsoft.Extensions.Options;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Api;

/// <summary><c>/api/users</c>: direct messages to a user (stored in its inbox, pushed to every connection) and presence.</summary>
public static class UsersEndpoints
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/users").RequireAuthorization(AuthPolicies.Admin);

        group.MapPost("/{userId}/messages", async (string userId, RealtimeApiRequest? body, IClusterClient cluster, IOptions<SocketOptions> options) =>
        {
            if (!RealtimeIds.IsValid(userId))
            {
                return ApiProblems.BadRequest("用户 ID 无效 / the user id must be 1 to 128 printable characters");
            }

            if (RealtimeApiRequest.Refusal(body, options.Value.MaxMessageSize) is { } refusal)
            {
                return refusal;
            }

            var message = new OutgoingMessage(body!.From ?? RealtimeApiRequest.DefaultSender, body.Id, body.Data!.Value.GetRawText(), null);
            SendResult result;
            try
            {
                result = await cluster.GetGrain<IUserGrain>(userId).SendDirect(message);
            }
            catch (BusyException)
            {
                return ApiProblems.Busy();
            }

            if (result.InboxFull)
            {
                return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "inbox_full", "对方收件箱中来自该发送者的消息已达上限，请稍后再发 / the recipient's inbox holds as much from this sender as it takes; try again later");
            }

            return Results.Json(new { seq = result.Seq, online = result.Online, duplicate = result.Duplicate }, statusCode: StatusCodes.Status202Accepted);
        });

        group.MapGet("/{userId}/presence", async (string userId, IClusterClient cluster) =>
        {
            if (!RealtimeIds.IsValid(userId))
            {
                return ApiProblems.BadRequest("用户 ID 无效 / the user id must be 1 to 128 printable characters");
            }

            var presence = await cluster.GetGrain<IUserGrain>(userId).Presence();
            return Results.Json(new { online = presence.Online, connections = presence.Connections, lastSeen = presence.LastSeen });
        });
        return endpoints;
    }
}
