using System.Net;
using System.Text;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Foundation;

/// <summary>HTTP problem details read Chinese first, then English, whoever wrote them; the <c>code</c>s stay the contract's.</summary>
public sealed class ProblemDetailsTests
{
    [Theory]
    [InlineData("POST", "/api/users/%20/messages", """{"data":1}""", HttpStatusCode.BadRequest, "bad_request", "用户 ID 无效 / the user id")]
    [InlineData("POST", "/api/rooms/r1/messages", """{"from":""}""", HttpStatusCode.BadRequest, "bad_request", "缺少 `data` / `data` is required")]
    [InlineData("POST", "/api/email", """{"to":"not an address","subject":"s","text":"t"}""", HttpStatusCode.BadRequest, "bad_request", "请求无效 / ")]
    [InlineData("POST", "/api/email/batch", "{", HttpStatusCode.BadRequest, "bad_request", "请求无效 / ")]
    [InlineData("GET", "/api/notifications/0123456789abcdef0123456789abcdef", null, HttpStatusCode.NotFound, "not_found", "未找到 / no notification")]
    [InlineData("GET", "/no/such/route", null, HttpStatusCode.NotFound, "not_found", "未找到")]
    public async Task Problem_detail_is_chinese_then_english_with_the_contract_code(string method, string path, string? body, HttpStatusCode status, string code, string detailStart)
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Api-Key", RealtimeFront.ApiKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await front.Http.SendAsync(request);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.StartsWith(detailStart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
