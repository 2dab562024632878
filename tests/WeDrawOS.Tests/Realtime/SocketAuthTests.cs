using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Every bad token is refused with 401 problem+json before the upgrade; good tokens get <c>welcome</c>.</summary>
public sealed class SocketAuthTests : IAsyncLifetime
{
    private const string Secret = "socket-auth-tests-secret-0123456789abcdef";
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("JWT_SECRET", Secret)));

    public async Task DisposeAsync() => await _front.DisposeAsync();

    public static TheoryData<string, string?> BadTokens()
    {
        var handler = new JsonWebTokenHandler();
        string Sign(string secret, DateTime expires, string? sub = "alice") => handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = sub is null ? new Dictionary<string, object>() : new Dictionary<string, object> { ["sub"] = sub },
            Expires = expires,
            NotBefore = expires.AddHours(-2),
            IssuedAt = expires.AddHours(-2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
        var none = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Base64UrlEncoder.Encode("{\"sub\":\"alice\",\"exp\":" + DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() + "}") + ".";
        return new TheoryData<string, string?>
        {
            { "missing", null },
            { "malformed", "not.a.jwt" },
            { "expired", Sign(Secret, DateTime.UtcNow.AddMinutes(-10)) },
            { "wrongly signed", Sign("another-secret-another-secret-0123456789", DateTime.UtcNow.AddHours(1)) },
            { "alg none", none },
            { "no sub", Sign(Secret, DateTime.UtcNow.AddHours(1), sub: null) },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_token_is_refused_with_401_before_the_upgrade(string kind, string? token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var failure = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WsClient.SocketUri(_front.BaseAddress, token), CancellationToken.None));

        Assert.True(socket.HttpStatusCode == HttpStatusCode.Unauthorized, $"{kind}: {socket.HttpStatusCode} {failure.Message}");

        using var request = new HttpRequestMessage(HttpMethod.Get, token is null ? "/ws" : "/ws?access_token=" + Uri.EscapeDataString(token));
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        await DevTokenTests.AssertProblem(await _front.Http.SendAsync(request), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Token_in_the_authorization_header_is_accepted()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + _front.Token("bob", lifetime: TimeSpan.FromHours(1)));
        await socket.ConnectAsync(WsClient.SocketUri(_front.BaseAddress, null), CancellationToken.None);

        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var welcome = System.Text.Json.JsonDocument.Parse(buffer.AsMemory(0, received.Count)).RootElement;
        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        Assert.Equal("bob", welcome.GetProperty("userId").GetString());
        Assert.False(string.IsNullOrEmpty(welcome.GetProperty("connectionId").GetString()));
        Assert.Equal(30000, welcome.GetProperty("pingInterval").GetInt32());
        Assert.Equal(0, welcome.GetProperty("inboxSeq").GetInt64());
    }
}
