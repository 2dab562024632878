using System.Text.Json.Serialization;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Notifications.Sms;

namespace WeDrawOS.Front.Api;

/// <summary>
/// <c>/api/sms*</c> of the contract: validates and normalises the number (E.164, default region
/// <c>SMS_DEFAULT_REGION</c>), queues in the number's outbox, answers 202 with the notification id. Invalid input
/// is a 400 <c>bad_request</c> and nothing is queued; a full outbox is a 429 with <c>Retry-After</c>. Bodies may
/// also carry <c>language</c> (<c>zh-CN</c>, the default, or <c>en</c>).
/// </summary>
public static class SmsEndpoints
{
    public const int MaxHistory = 200;

    public static WebApplication MapSmsEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/sms").RequireAuthorization(AuthPolicies.Admin);
        group.MapPost("", (SendBody? body, ISmsService sms) =>
            NotificationQueueing.QueueAsync(body, b => sms.Send(new SmsRequest(b.Phone!, b.Content!, b.Type, b.Provider, b.Language))));
        group.MapPost("/verification-code", (VerificationCodeBody? body, ISmsService sms) =>
            NotificationQueueing.QueueAsync(body, b => sms.SendVerificationCode(b.Phone!, b.Code!, b.ExpireMinutes ?? 5, b.Language)));
        group.MapPost("/notification", (NotificationBody? body, ISmsService sms) =>
            NotificationQueueing.QueueAsync(body, b => sms.SendNotification(b.Phone!, b.Title!, b.Content!, b.Language)));
        group.MapPost("/batch", SendBatchAsync);
        group.MapGet("/history", HistoryAsync);
        return app;
    }

    private static async Task<IResult> SendBatchAsync(SendBody?[]? body, ISmsService sms)
    {
        if (body is null)
        {
            return ApiProblems.BadRequest("a JSON array of messages is required");
        }

        try
        {
            var messages = body.Select(m => m is null ? null! : new SmsRequest(m.Phone!, m.Content!, m.Type, m.Provider, m.Language)).ToArray();
            var results = await sms.SendBatch(messages);
            return Results.Accepted(value: new { results = results.Select(r => new BatchResultBody(r.Phone, r.Id, r.Error)) });
        }
        catch (ArgumentException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
    }

    private static async Task<IResult> HistoryAsync(string? phone, int? limit, ISmsService sms)
    {
        if (limit is < 1 or > MaxHistory)
        {
            return ApiProblems.BadRequest($"limit must be from 1 to {MaxHistory}");
        }

        try
        {
            var items = await sms.History(phone!, limit ?? 50);
            return Results.Ok(new { items = items.Select(NotificationView.From) });
        }
        catch (ArgumentException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
    }

    private sealed record SendBody(string? Phone, string? Content, string? Type, string? Provider, string? Language);

    private sealed record VerificationCodeBody(string? Phone, string? Code, int? ExpireMinutes, string? Language);

    private sealed record NotificationBody(string? Phone, string? Title, string? Content, string? Language);

    private sealed record BatchResultBody(
        string Phone,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
}
