using System.Text.Json.Serialization;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Front.Api;

/// <summary>
/// A notification as the HTTP API shows it (<c>GET /api/notifications/{id}</c> and the histories); absent values are
/// left out. <c>providerMessageId</c> is the provider's own id (Twilio SID, Aliyun BizId, Tencent SerialNo).
/// </summary>
public sealed record NotificationView(
    string Id,
    string Channel,
    string To,
    string Kind,
    string Status,
    int Attempts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Provider,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProviderMessageId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? SentAt)
{
    public static NotificationView From(NotificationRecord record) => new(
        record.Id,
        record.Channel.ToString().ToLowerInvariant(),
        record.To,
        record.Kind,
        record.Status,
        record.Attempts,
        record.Provider,
        record.ProviderMessageId,
        record.Error,
        record.CreatedAt,
        record.SentAt);
}
