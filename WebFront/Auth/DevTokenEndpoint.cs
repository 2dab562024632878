using WeDrawOS.WebFront.Api;

namespace WeDrawOS.WebFront.Auth;

/// <summary><c>POST /api/dev/token</c>: tokens for trying the system out. Mapped only in Development, so 404 elsewhere.</summary>
public static class DevTokenEndpoint
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public sealed record DevTokenRequest(string? UserId, string? Role, string? Name);

    public static IEndpointRouteBuilder MapDevToken(this IEndpointRouteBuilder endpoints, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
        {
            return endpoints;
        }

        endpoints.MapPost("/api/dev/token", (DevTokenRequest? request, TokenService tokens) =>
        {
            if (string.IsNullOrWhiteSpace(request?.UserId) || request.UserId.Length > 128)
            {
                return ApiProblems.BadRequest("userId is required (at most 128 characters)");
            }

            var role = request.Role ?? UserIdentity.Customer;
            if (!UserIdentity.Roles.Contains(role))
            {
                return ApiProblems.BadRequest("role must be customer, agent or admin");
            }

            return Results.Json(new { token = tokens.Issue(request.UserId, role, request.Name, Lifetime) });
        });
        return endpoints;
    }
}
