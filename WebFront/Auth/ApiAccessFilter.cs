using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WeDrawOS.WebFront.Api;

namespace WeDrawOS.WebFront.Auth;

/// <summary>
/// Guards the HTTP API for other services: <c>X-Api-Key</c> equal to <c>API_KEY</c> (compared in constant time),
/// or a bearer JWT whose role is <c>admin</c>.
/// </summary>
public sealed class ApiAccessFilter(TokenService tokens, IOptions<AuthOptions> options) : IEndpointFilter
{
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly byte[]? _apiKey = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.ApiKey);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.Headers.TryGetValue(ApiKeyHeader, out var key))
        {
            return _apiKey is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key.ToString()), _apiKey)
                ? await next(context)
                : ApiProblems.Unauthorized("the API key is not valid");
        }

        var bearer = BearerToken(request);
        if (bearer is null)
        {
            return ApiProblems.Unauthorized($"send {ApiKeyHeader} or an admin bearer token");
        }

        var (identity, error) = await tokens.ValidateAsync(bearer);
        if (identity is null)
        {
            return ApiProblems.Unauthorized(error!);
        }

        return identity.Role == UserIdentity.Admin ? await next(context) : ApiProblems.Forbidden("the HTTP API needs the admin role");
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}

public static class ApiAccessExtensions
{
    /// <summary>Requires an API key or an admin token on every endpoint of the group.</summary>
    public static RouteGroupBuilder RequireApiAccess(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<ApiAccessFilter>();
        return group;
    }
}
