using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using WeDrawOS.Front.Api;

namespace WeDrawOS.Front.Auth;

/// <summary>
/// <c>POST /api/dev/token</c>: tokens for trying the system out. It exists only in Development and only while every
/// address the front listens on is loopback: a Development front on <c>0.0.0.0</c> answers 404 as anywhere else.
/// </summary>
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

        // The addresses are known once the server has started, which every request comes after.
        var server = endpoints.ServiceProvider.GetRequiredService<IServer>();
        var loopbackOnly = new Lazy<bool>(() => ListenAddresses.AllLoopback(server));
        endpoints.MapPost("/api/dev/token", async (HttpContext context, TokenService tokens) =>
        {
            if (!loopbackOnly.Value)
            {
                // The body is not even read: the answer is the same as for a route that does not exist.
                return Results.NotFound();
            }

            DevTokenRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync<DevTokenRequest>(context.RequestAborted);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return ApiProblems.BadRequest("the body must be a JSON object like {\"userId\":\"alice\"}");
            }

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
