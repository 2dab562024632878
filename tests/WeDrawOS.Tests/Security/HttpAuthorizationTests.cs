using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WeDrawOS.Front.Auth;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// The HTTP API behind ASP.NET Core's authentication and the <c>admin</c> policy: every kind of caller gets the
/// answer the contract gave before (401 / 403 problem+json with the same details), <c>/api/status</c> and the health
/// descriptions are for operators only (finding 4), and a token expired a minute ago is refused (finding 12).
/// </summary>
public sealed class HttpAuthorizationTests : IAsyncLifetime
{
    private const string Secret = "http-authorization-tests-secret-0123456789";
    private const string Presence = "/api/users/bob/presence";
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("JWT_SECRET", Secret)));

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_caller_gets_the_contracts_answer()
    {
        await AssertRefusedAsync(await Get(Presence), HttpStatusCode.Unauthorized, "send X-Api-Key or an admin bearer token");
        await AssertRefusedAsync(await Get(Presence, apiKey: "not-the-key-at-all"), HttpStatusCode.Unauthorized, "the API key is not valid");
        await AssertRefusedAsync(await Get(Presence, token: "not-a-token"), HttpStatusCode.Unauthorized, "the token is malformed");
        await AssertRefusedAsync(await Get(Presence, token: Sign(new() { ["role"] = "admin" }, DateTime.UtcNow.AddMinutes(5))), HttpStatusCode.Unauthorized, "the token has no sub claim");
        await AssertRefusedAsync(await Get(Presence, token: AlgNone()), HttpStatusCode.Unauthorized, "the token is not valid");
        await AssertRefusedAsync(await Get(Presence, token: _front.Token("eve", UserIdentity.Agent)), HttpStatusCode.Forbidden, "the HTTP API needs the admin role");

        Assert.Equal(HttpStatusCode.OK, (await Get(Presence, token: _front.Token("root", UserIdentity.Admin))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(Presence, apiKey: RealtimeFront.ApiKey)).StatusCode);
    }

    [Fact]
    public async Task Token_expired_a_minute_ago_is_refused_on_http_and_on_the_socket()
    {
        var expired = Sign(new() { ["sub"] = "root", ["role"] = "admin" }, DateTime.UtcNow.AddSeconds(-60));

        await AssertRefusedAsync(await Get(Presence, token: expired), HttpStatusCode.Unauthorized, "the token has expired");

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WsClient.SocketUri(_front.BaseAddress, expired), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Status_needs_the_api_key_or_an_admin_token()
    {
        await AssertRefusedAsync(await Get("/api/status"), HttpStatusCode.Unauthorized, "send X-Api-Key or an admin bearer token");
        await AssertRefusedAsync(await Get("/api/status", token: _front.Token("carol")), HttpStatusCode.Forbidden, "the HTTP API needs the admin role");

        Assert.Equal(HttpStatusCode.OK, (await Get("/api/status", apiKey: RealtimeFront.ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get("/api/status", token: _front.Token("root", UserIdentity.Admin))).StatusCode);
    }

    [Fact]
    public async Task Health_shows_descriptions_to_operators_only()
    {
        var anonymous = await Get("/health/ready");
        var shown = await anonymous.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        var services = JsonDocument.Parse(shown).RootElement.GetProperty("services");
        Assert.Equal("healthy", services.GetProperty("smtp").GetProperty("status").GetString());
        Assert.All(services.EnumerateObject(), s => Assert.False(s.Value.TryGetProperty("description", out _), s.Name));
        Assert.DoesNotContain("127.0.0.1", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("mail-pickup", shown, StringComparison.Ordinal);

        foreach (var operatorRequest in new[] { await Get("/health/ready", apiKey: RealtimeFront.ApiKey), await Get("/health/ready", token: _front.Token("root", UserIdentity.Admin)) })
        {
            var smtp = JsonDocument.Parse(await operatorRequest.Content.ReadAsStringAsync()).RootElement.GetProperty("services").GetProperty("smtp");
            Assert.Contains("pickup mode", smtp.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Staff_policy_admits_agents_admins_and_services_only()
    {
        var authorization = _front.GetRequiredService<IAuthorizationService>();
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        var service = new ClaimsPrincipal(new ClaimsIdentity(AuthSchemes.ApiKey));

        foreach (var (principal, admitted) in new[]
        {
            (new UserIdentity("a", null, UserIdentity.Agent, expires).ToPrincipal(), true),
            (new UserIdentity("b", null, UserIdentity.Admin, expires).ToPrincipal(), true),
            (service, true),
            (new UserIdentity("c", null, UserIdentity.Customer, expires).ToPrincipal(), false),
            (new ClaimsPrincipal(new ClaimsIdentity()), false),
        })
        {
            Assert.Equal(admitted, (await authorization.AuthorizeAsync(principal, AuthPolicies.Staff)).Succeeded);
        }
    }

    private async Task<HttpResponseMessage> Get(string path, string? token = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await _front.Http.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        await DevTokenTests.AssertProblem(response, status, status == HttpStatusCode.Forbidden ? "forbidden" : "unauthorized");
        // Chinese first, then the English detail the contract always had.
        Assert.EndsWith(" / " + detail, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Sign(Dictionary<string, object> claims, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = claims,
        Expires = expires,
        NotBefore = expires.AddHours(-1),
        IssuedAt = expires.AddHours(-1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Secret)), SecurityAlgorithms.HmacSha256),
    });

    private static string AlgNone() =>
        Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
        Base64UrlEncoder.Encode("{\"sub\":\"root\",\"role\":\"admin\",\"exp\":" + DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() + "}") + ".";
}
