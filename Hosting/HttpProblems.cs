using Microsoft.AspNetCore.Http;

namespace WeDrawOS.Hosting;

/// <summary>
/// RFC 7807 problem+json answers with the contract's <c>code</c>, on silos and fronts alike; the detail is made
/// <c>中文 / English</c> by <see cref="ProblemTexts"/>.
/// </summary>
public static class HttpProblems
{
    /// <summary>A problem with <paramref name="status"/>, the contract's <paramref name="code"/> and a detail safe to show.</summary>
    public static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: ProblemTexts.Bilingual(code, detail), statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static Task WriteUnauthorizedAsync(HttpContext context, string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", detail).ExecuteAsync(context);

    public static Task WriteForbiddenAsync(HttpContext context, string detail) =>
        Problem(StatusCodes.Status403Forbidden, "forbidden", detail).ExecuteAsync(context);
}
