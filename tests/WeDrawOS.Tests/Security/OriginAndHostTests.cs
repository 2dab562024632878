using System.Net;
using System.Net.WebSockets;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, finding 8: with <c>WS_ALLOWED_ORIGINS</c> a page of another site cannot open a socket (403 problem+json
/// before the upgrade) while allowed pages and non-browser clients (no <c>Origin</c>) can; <c>ALLOWED_HOSTS</c>
/// refuses other host names.
/// </summary>
public sealed class OriginAndHostTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(
        ("WS_ALLOWED_ORIGINS", "https://app.example.com, https://admin.example.com:8443"),
        ("ALLOWED_HOSTS", "127.0.0.1,*.example.com")));

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task A_page_of_another_origin_is_refused_before_the_upgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://evil.example.net");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(WsClient.SocketUri(_front.BaseAddress, _front.Token("alice")), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);

        using var request = Upgrade("https://app.example.com.evil.example.net");
        await DevTokenTests.AssertProblem(await _front.Http.SendAsync(request), HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("HTTPS://APP.EXAMPLE.COM:443")]
    [InlineData("https://admin.example.com:8443")]
    [InlineData(null)]
    public async Task Allowed_pages_and_clients_without_origin_connect(string? origin)
    {
        using var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await socket.ConnectAsync(WsClient.SocketUri(_front.BaseAddress, _front.Token("bob")), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
    }

    [Fact]
    public async Task Other_host_names_are_refused()
    {
        using var other = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        other.Headers.Host = "attacker.test";
        await DevTokenTests.AssertProblem(await _front.Http.SendAsync(other), HttpStatusCode.BadRequest, "bad_request");

        using var socket = Upgrade("https://app.example.com");
        socket.Headers.Host = "attacker.test";
        await DevTokenTests.AssertProblem(await _front.Http.SendAsync(socket), HttpStatusCode.BadRequest, "bad_request");

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        allowed.Headers.Host = "api.example.com";
        Assert.Equal(HttpStatusCode.OK, (await _front.Http.SendAsync(allowed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _front.Http.GetAsync("/health/live")).StatusCode);
    }

    private HttpRequestMessage Upgrade(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/ws?access_token=" + Uri.EscapeDataString(_front.Token("alice")));
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        request.Headers.Add("Origin", origin);
        return request;
    }
}
