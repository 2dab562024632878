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
