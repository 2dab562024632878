using WeDrawOS.Hosting;

namespace WeDrawOS.Front.Api;

/// <summary>
/// RFC 7807 problem+json answers with the contract's extra <c>code</c> field
/// (<c>bad_request</c>, <c>unauthorized</c>, <c>forbidden</c>, <c>not_found</c>, <c>rate_limited</c>, ...).
/// </summary>
public static class ApiProblems
{
    /// <summary>A problem answer; a <paramref name="detail"/> in English only gets the Chinese meaning of <paramref name="code"/> before it.</summary>
    public static IResult Problem(int status, string code, string detail) => HttpProblems.Problem(status, code, detail);

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "bad_request", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "not_found", detail);

    public static IResult Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "unauthorized", detail);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "forbidden", detail);

    /// <summary>429 with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static IResult RateLimited(string detail, TimeSpan retryAfter) => new RetryLaterResult(StatusCodes.Status429TooManyRequests, "rate_limited", detail, retryAfter);

    /// <summary>503 <c>busy</c> with <c>Retry-After: 1</c>: the room or inbox has too many messages waiting; retry with the same id.</summary>
    public static IResult Busy() => new RetryLaterResult(StatusCodes.Status503ServiceUnavailable, "busy",
        "房间或收件箱待写入的消息过多，请稍后用相同 id 重试 / too many messages are waiting to be stored; retry with the same id", TimeSpan.FromSeconds(1));

    /// <summary>503 <c>unavailable</c> with <c>Retry-After: 1</c>: the cluster or its storage is not reachable now; the call may be retried.</summary>
    public static IResult Unavailable() => new RetryLaterResult(StatusCodes.Status503ServiceUnavailable, "unavailable",
        "集群暂不可用，请稍后重试 / the cluster is not reachable; try again", TimeSpan.FromSeconds(1));

    /// <summary>The contract's code for an HTTP status the framework produced by itself (404 route, 400 bad JSON, 500 crash).</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 or 405 => "not_found",
        413 => "too_large",
        429 => "rate_limited",
        503 => "unavailable",
        _ => status >= 500 ? "internal" : "bad_request",
    };

    private sealed class RetryLaterResult(int status, string code, string detail, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problem(status, code, detail).ExecuteAsync(httpContext);
        }
    }
}
