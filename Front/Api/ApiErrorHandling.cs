using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using WeDrawOS.Hosting;

namespace WeDrawOS.Front.Api;

/// <summary>
/// Every error the front answers is problem+json with a <c>code</c> and never a stack trace: unknown routes,
/// unreadable bodies, and unexpected exceptions included, in every environment.
/// </summary>
public static class ApiErrorHandling
{
    public static IServiceCollection AddApiErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? StatusCodes.Status500InternalServerError;
            context.ProblemDetails.Extensions.TryAdd("code", ApiProblems.CodeFor(status));
            var code = context.ProblemDetails.Extensions["code"] as string ?? ApiProblems.CodeFor(status);
            // The framework's own problems (unknown route, unreadable body, crash) have only an English title.
            context.ProblemDetails.Detail = ProblemTexts.Bilingual(code, context.ProblemDetails.Detail ?? context.ProblemDetails.Title);
            context.ProblemDetails.Extensions.Remove("exception");
        });

        services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();

        // Bad bodies become 400 problems rather than exceptions (Development otherwise throws them).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNameCaseInsensitive = true);
        return services;
    }

    /// <summary>Placed after the framework's developer page, so it catches first and no stack trace reaches a client.</summary>
    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
