using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Grains.Interfaces.Verification;
using WeDrawOS.Notifications.Verification;

namespace WeDrawOS.Grains.Verification;

/// <summary>
/// Verification codes of one recipient (key: the notifier key, <c>sms:+8613800138000</c> or
/// <c>email:alice@example.com</c>). The code leaves this grain only once, in the request queued on the
/// recipient's notifier grain; it is never logged and never returned.
/// </summary>
public sealed class VerificationGrain(
    [PersistentState("verification")] IPersistentState<VerificationState> state,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    VerificationMetrics metrics,
    ILogger<VerificationGrain> logger) : Grain, IVerificationGrain
{
    public async Task<IssueCodeResult> IssueCode(string purpose, string? language)
    {
        VerificationPurpose.Validate(purpose);
        var book = new VerificationBook(state.State, options.Value, time);
        if (book.RateLimitWait() is { } wait)
        {
            VerificationLog.RateLimited(logger, purpose, (int)Math.Ceiling(wait.TotalSeconds));
            metrics.Refused();
            return new IssueCodeResult(false, wait, null);
        }

        var code = book.Issue(purpose);
        await state.WriteStateAsync();
        try
        {
            var fields = new Dictionary<string, string>
            {
                ["code"] = code,
                ["expireMinutes"] = options.Value.CodeLifetimeMinutes.ToString(CultureInfo.InvariantCulture),
            };
            var record = await GrainFactory.GetGrain<INotifierGrain>(this.GetPrimaryKeyString())
                .Enqueue(new NotificationRequest(NotificationKinds.VerificationCode, fields, language));
            VerificationLog.Issued(logger, purpose, record.Id);
            metrics.Issued();
            return new IssueCodeResult(true, null, record.Id);
        }
        catch
        {
            // Not queued: the code must not stay valid, nor count against the recipient's limits.
            book.Withdraw(purpose);
            await state.WriteStateAsync();
            throw;
        }
    }

    public async Task<IssueCodeResult> SendCallerCode(string code, int expireMinutes, string? language)
    {
        var book = new VerificationBook(state.State, options.Value, time);
        if (book.RateLimitWait() is { } wait)
        {
            VerificationLog.RateLimited(logger, "caller-code", (int)Math.Ceiling(wait.TotalSeconds));
            metrics.Refused();
            return new IssueCodeResult(false, wait, null);
        }

        book.CountIssue();
        await state.WriteStateAsync();
        try
        {
            var fields = new Dictionary<string, string>
            {
                ["code"] = code,
                ["expireMinutes"] = expireMinutes.ToString(CultureInfo.InvariantCulture),
            };
            var record = await GrainFactory.GetGrain<INotifierGrain>(this.GetPrimaryKeyString())
                .Enqueue(new NotificationRequest(NotificationKinds.VerificationCode, fields, language));
            metrics.Issued();
            return new IssueCodeResult(true, null, record.Id);
        }
        catch
        {
            book.UncountIssue();
            await state.WriteStateAsync();
            throw;
        }
    }

    public async Task<VerifyCodeResult> VerifyCode(string purpose, string code)
    {
        VerificationPurpose.Validate(purpose);
        var result = new VerificationBook(state.State, options.Value, time).Verify(purpose, code ?? "");
        await state.WriteStateAsync();
        VerificationLog.Verified(logger, purpose, result);
        metrics.Checked(result);
        return result;
    }
}
