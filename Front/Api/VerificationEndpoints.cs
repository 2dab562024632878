using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Grains.Interfaces.Verification;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Notifications.Verification;

namespace WeDrawOS.Front.Api;

/// <summary>
/// <c>/api/verification/*</c>: issue a code to an SMS number or an e-mail address, and verify it. Issue answers
/// the same 202 whether or not the target belongs to anyone (no account enumeration); the code itself is never
/// returned. Verify answers 200 <c>{ "valid": true }</c> or 400 with <c>code</c> <c>invalid</c>,
/// <c>expired</c> or <c>too_many_attempts</c>.
/// </summary>
public static class VerificationEndpoints
{
    public static WebApplication MapVerificationEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/verification").RequireAuthorization(AuthPolicies.Admin);
        group.MapPost("/issue", IssueAsync);
        group.MapPost("/verify", VerifyAsync);
        return app;
    }

    private static async Task<IResult> IssueAsync(IssueBody? body, IGrainFactory grains, IOptions<SmsOptions> sms, IOptions<VerificationOptions> options)
    {
        if (body is null)
        {
            return ApiProblems.BadRequest("a JSON body is required");
        }

        if (!VerificationTarget.TryParse(body.Channel, body.Target, sms.Value.DefaultRegion, out var key, out var error))
        {
            return ApiProblems.BadRequest(error);
        }

        if (!VerificationPurpose.IsValid(body.Purpose))
        {
            return ApiProblems.BadRequest($"purpose must be 1 to {VerificationPurpose.MaxLength} characters of A-Z a-z 0-9 _ - . :");
        }

        try
        {
            var result = await grains.GetGrain<IVerificationGrain>(key.Value.ToString()).IssueCode(body.Purpose!, body.Language);
            return result.Accepted
                ? Results.Accepted(value: new { expiresInSeconds = (int)options.Value.CodeLifetime.TotalSeconds })
                : ApiProblems.RateLimited("too many codes were requested for this recipient", result.RetryAfter ?? TimeSpan.FromMinutes(1));
        }
        catch (ArgumentException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
        catch (OutboxFullException e)
        {
            return ApiProblems.RateLimited(e.Message, TimeSpan.FromMinutes(1));
        }
    }

    private static async Task<IResult> VerifyAsync(VerifyBody? body, IGrainFactory grains, IOptions<SmsOptions> sms)
    {
        if (body is null)
        {
            return ApiProblems.BadRequest("a JSON body is required");
        }

        if (!VerificationTarget.TryParse(body.Channel, body.Target, sms.Value.DefaultRegion, out var key, out var error))
        {
            return ApiProblems.BadRequest(error);
        }

        if (!VerificationPurpose.IsValid(body.Purpose))
        {
            return ApiProblems.BadRequest($"purpose must be 1 to {VerificationPurpose.MaxLength} characters of A-Z a-z 0-9 _ - . :");
        }

        if (string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 16)
        {
            return ApiProblems.BadRequest("code is required");
        }

        var result = await grains.GetGrain<IVerificationGrain>(key.Value.ToString()).VerifyCode(body.Purpose!, body.Code);
        return result switch
        {
            VerifyCodeResult.Valid => Results.Ok(new { valid = true }),
            VerifyCodeResult.Expired => ApiProblems.Problem(StatusCodes.Status400BadRequest, "expired", "the code has expired; request a new one"),
            VerifyCodeResult.TooManyAttempts => ApiProblems.Problem(StatusCodes.Status400BadRequest, "too_many_attempts", "too many wrong codes; request a new one"),
            _ => ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid", "the code is not valid"),
        };
    }

    private sealed record IssueBody(string? Channel, string? Target, string? Purpose, string? Language);

    private sealed record VerifyBody(string? Channel, string? Target, string? Purpose, string? Code);
}
