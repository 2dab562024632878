using System.Runtime.InteropServices;
using System.Text.Json;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Front.Api;

/// <summary>Body of <c>POST /api/users/{userId}/messages</c> and <c>POST /api/rooms/{roomId}/messages</c>.</summary>
/// <param name="Data">Any JSON value (required).</param>
/// <param name="From">Sender name shown to clients; <c>system</c> when absent.</param>
/// <param name="Id">Optional client message id: a retried request with the same id is not delivered twice.</param>
public sealed record RealtimeApiRequest(JsonElement? Data, string? From, string? Id)
{
    public const string DefaultSender = OutgoingMessage.ServiceSender;

    /// <summary>
    /// The answer refusing <paramref name="body"/>, or null when it is usable: 400 <c>bad_request</c> for a missing body or
    /// field, 413 <c>too_large</c> for <c>data</c> of more than <paramref name="maxDataBytes"/> (<c>WS_MAX_MESSAGE_SIZE</c>,
    /// the largest frame a socket may send). Without that bound one post could be larger than the room's or inbox's whole
    /// byte budget, which keeps the newest message and drops every other, and went to every socket whatever its size.
    /// </summary>
    public static IResult? Refusal(RealtimeApiRequest? body, int maxDataBytes)
    {
        if ((body is null ? "需要 JSON 请求体 / a JSON body is required" : body.Problem()) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        return JsonMarshal.GetRawUtf8Value(body!.Data!.Value).Length > maxDataBytes
            ? ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "too_large", $"`data` 超过 {maxDataBytes} 字节 / `data` has more than {maxDataBytes} bytes (WS_MAX_MESSAGE_SIZE)")
            : null;
    }

    /// <summary>The problem with the body, or null when it is usable.</summary>
    public string? Problem()
    {
        if (Data is null || Data.Value.ValueKind == JsonValueKind.Undefined)
        {
            return "缺少 `data` / `data` is required (any JSON value)";
        }

        if (From is not null && !RealtimeIds.IsValid(From))
        {
            return "`from` 必须是 1 到 128 个可打印字符 / `from` must be 1 to 128 printable characters";
        }

        return Id is not null && !RealtimeIds.IsValid(Id) ? "`id` 必须是 1 到 128 个可打印字符 / `id` must be 1 to 128 printable characters" : null;
    }
}
