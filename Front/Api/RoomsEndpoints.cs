using Microsoft.Extensions.Options;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Api;

/// <summary><c>/api/rooms</c>: post as a service, read history and presence, manage the member list.</summary>
public static class RoomsEndpoints
{
    private const int HistoryDefault = 50;
    private const int HistoryMax = 200;

    public static IEndpointRouteBuilder MapRoomsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/rooms/{roomId}").RequireAuthorization(AuthPolicies.Admin);

        group.MapPost("/messages", async (string roomId, RealtimeApiRequest? body, IClusterClient cluster, IOptions<SocketOptions> options) =>
        {
            if (!RealtimeIds.IsValid(roomId))
            {
                return BadRoom();
            }

            if (RealtimeApiRequest.Refusal(body, options.Value.MaxMessageSize) is { } refusal)
            {
                return refusal;
            }

            // Services are trusted like staff: they may post in rooms with a member list.
            var message = new OutgoingMessage(body!.From ?? RealtimeApiRequest.DefaultSender, body.Id, body.Data!.Value.GetRawText(), null);
            SendResult? result;
            try
            {
                result = await cluster.GetGrain<IRoomGrain>(roomId).Post(message, senderIsStaff: true);
            }
            catch (BusyException)
            {
                return ApiProblems.Busy();
            }

            return Results.Json(new { seq = result!.Seq, duplicate = result.Duplicate }, statusCode: StatusCodes.Status202Accepted);
        });

        // Paged like the socket's history frame: by count and by WS_ANSWER_MAX_BYTES, with `more: true` when cut.
        group.MapGet("/history", async (string roomId, long? before, long? after, int? limit, IClusterClient cluster, IOptions<SocketOptions> options) =>
        {
            if (!RealtimeIds.IsValid(roomId))
            {
                return BadRoom();
            }

            if (before is < 1 || limit is < 1 || after is < 0)
            {
                return ApiProblems.BadRequest("`before` 与 `limit` 必须为正数 / `before` and `limit` must be positive");
            }

            if (before is not null && after is not null)
            {
                return ApiProblems.BadRequest("`before` 与 `after` 只能给一个 / give at most one of `before` or `after`");
            }

            var count = Math.Min(limit ?? HistoryDefault, HistoryMax);
            var maxBytes = options.Value.AnswerMaxBytes;
            var request = after is { } seq ? PageRequest.After(seq, count, maxBytes) : PageRequest.Before(before, count, maxBytes);
            return Results.Bytes(ServerFrames.History(roomId, await cluster.GetGrain<IRoomGrain>(roomId).History(request)), "application/json");
        });

        group.MapGet("/presence", async (string roomId, IClusterClient cluster) =>
            RealtimeIds.IsValid(roomId)
                ? Results.Bytes(ServerFrames.Presence(roomId, await cluster.GetGrain<IRoomGrain>(roomId).Presence()), "application/json")
                : BadRoom());

        group.MapPut("/members/{userId}", async (string roomId, string userId, IClusterClient cluster) =>
        {
            if (!RealtimeIds.IsValid(roomId) || !RealtimeIds.IsValid(userId))
            {
                return BadRoom();
            }

            await cluster.GetGrain<IRoomGrain>(roomId).AllowMember(userId);
            return Results.NoContent();
        });

        group.MapDelete("/members/{userId}", async (string roomId, string userId, IClusterClient cluster) =>
        {
            if (!RealtimeIds.IsValid(roomId) || !RealtimeIds.IsValid(userId))
            {
                return BadRoom();
            }

            await cluster.GetGrain<IRoomGrain>(roomId).RemoveMember(userId);
            return Results.NoContent();
        });
        return endpoints;
    }

    private static IResult BadRoom() => ApiProblems.BadRequest("房间或用户 ID 无效 / room and user ids must be 1 to 128 printable characters");
}
