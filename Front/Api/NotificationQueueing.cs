using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Verification;

namespace WeDrawOS.Front.Api;

/// <summary>The one way the e-mail and SMS endpoints turn a queued notification, or the reason it was refused, into an answer.</summary>
public static class NotificationQueueing
{
    /// <summary>202 with the notification id; 400 for invalid input (nothing queued); 429 with Retry-After for limits.</summary>
    public static async Task<IResult> QueueAsync<T>(T? body, Func<T, Task<string>> send) where T : class
    {
        if (body is null)
        {
            return ApiProblems.BadRequest("a JSON body is required");
        }

        try
        {
            return Results.Accepted(value: new { id = await send(body) });
        }
        catch (ArgumentException e)
        {
            return ApiProblems.BadRequest(e.Message);
        }
        catch (OutboxFullException e)
        {
            return ApiProblems.RateLimited(e.Message, TimeSpan.FromMinutes(1));
        }
        catch (VerificationRateLimitedException e)
        {
            return ApiProblems.RateLimited(e.Message, e.RetryAfter);
        }
    }
}
