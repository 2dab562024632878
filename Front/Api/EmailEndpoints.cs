using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Notifications.Email;

namespace WeDrawOS.Front.Api;

/// <summary>
/// <c>/api/email*</c> of the contract: validates, queues in the recipient's outbox, answers 202 with the
/// notification id. Invalid input is a 400 <c>bad_request</c> and nothing is queued. Each body may also carry
/// <c>language</c> (<c>zh-CN</c>, the default, or <c>en</c>) where a template is used.
/// </summary>
public static class EmailEndpoints
{
    public static WebApplication MapEmailEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/email").RequireAuthorization(AuthPolicies.Admin);
        group.MapPost("", (MailBody? body, IEmailService email) =>
            NotificationQueueing.QueueAsync(body, b => email.SendMail(b.To!, b.Subject!, b.Text, b.Html)));
        group.MapPost("/verification-code", (VerificationCodeBody? body, IEmailService email) =>
            NotificationQueueing.QueueAsync(body, b => email.SendVerificationCode(b.Email!, b.Code!, b.ExpireMinutes ?? 10, b.Language)));
        group.MapPost("/password-reset", (PasswordResetBody? body, IEmailService email) =>
            NotificationQueueing.QueueAsync(body, b => email.SendPasswordResetEmail(b.Email!, b.ResetToken!, b.ExpireHours ?? 24, b.Language)));
        group.MapPost("/activation", (ActivationBody? body, IEmailService email) =>
            NotificationQueueing.QueueAsync(body, b => email.SendActivationEmail(b.Email!, b.ActivationToken!, b.Language)));
        group.MapPost("/notification", (NotificationBody? body, IEmailService email) =>
            NotificationQueueing.QueueAsync(body, b => email.SendNotification(b.Email!, b.Title!, b.Content!, b.Language)));
        group.MapPost("/batch", SendBatchAsync);
        group.MapGet("/history", HistoryAsync);
        return app;
    }

    private static async Task<IResult> SendBatchAsync(MailBody?[]? body, IEmailService email)
    {
        if (body is null)
        {
            return ApiProblems.BadRequest("a JSON array of messages is required");
        }

        try
        {
            var messages = body.Select(m => m is null ? null! : new EmailMessage(m.To!, m.Subject!, m.Text, m.Html)).ToArray();
            var results = await email.SendBatch(messages);
            return Results.Accepted(value: new { results = results.Select(r => new BatchResultBody(r.To, r.Id, r.Error)) });
        }
        catch (ArgumentException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
    }

    private static async Task<IResult> HistoryAsync(string? email, int? limit, IGrainFactory grains)
    {
        if (!EmailAddresses.TryNormalize(email, out var address, out var error))
        {
            return ApiProblems.BadRequest(error);
        }

        if (limit is < 1 or > 200)
        {
            return ApiProblems.BadRequest("limit must be from 1 to 200");
        }

        var key = new NotifierKey(NotificationChannel.Email, address).ToString();
        var items = await grains.GetGrain<INotifierGrain>(key).History(limit ?? 50);
        return Results.Ok(new { items = items.Select(NotificationView.From) });
    }

    private sealed record MailBody(string? To, string? Subject, string? Text, string? Html);

    private sealed record VerificationCodeBody(string? Email, string? Code, int? ExpireMinutes, string? Language);

    private sealed record PasswordResetBody(string? Email, string? ResetToken, int? ExpireHours, string? Language);

    private sealed record ActivationBody(string? Email, string? ActivationToken, string? Language);

    private sealed record NotificationBody(string? Email, string? Title, string? Content, string? Language);

    private sealed record BatchResultBody(
        string To,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Id,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Error);
}
