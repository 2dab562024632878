using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Foundation;

public sealed class DevTokenTests
{
    [Fact]
    public async Task Development_issues_tokens_and_errors_are_problem_json()
    {
        await using var front = await TestHost.StartFrontAsync(TestHost.EmbeddedSettings());

        var issued = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice", role = "agent" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()));

        var badRole = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice", role = "root" });
        await AssertProblem(badRole, HttpStatusCode.BadRequest, "bad_request");

        var badJson = await front.Http.PostAsync("/api/dev/token", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        await AssertProblem(badJson, HttpStatusCode.BadRequest, "bad_request");

        await AssertProblem(await front.Http.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Production_has_no_token_endpoint()
    {
        var settings = TestHost.EmbeddedSettings();
        settings["JWT_SECRET"] = "production-secret-production-secret";
        settings["MAIL_PICKUP_DIR"] = TestHost.PickupFolder;
        await using var front = await TestHost.StartFrontAsync(settings, environment: "Production");

        var response = await front.Http.PostAsJsonAsync("/api/dev/token", new { userId = "alice" });

        await AssertProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    internal static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}
