using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, finding 4: outside Development the Orleans dashboard (on fronts and silos) asks for HTTP Basic
/// credentials or is not there, and its log stream (<c>/dashboard/Trace</c>) is off; a silo's status needs the API key.
/// </summary>
public sealed class DashboardAccessTests
{
    private const string User = "ops";
    private const string Password = "dashboard-password-0123";

    [Fact]
    public async Task Outside_development_front_and_silo_dashboards_ask_for_credentials_and_trace_is_off()
    {
        await using var front = await TestHost.StartFrontAsync(Production(withDashboard: true), "Production");
        await using var silo = await TestHost.StartSiloAsync(Production(withDashboard: true), "Production");

        foreach (var host in new[] { front, silo })
        {
            var anonymous = await host.Http.GetAsync("/dashboard/");
            await DevTokenTests.AssertProblem(anonymous, HttpStatusCode.Unauthorized, "unauthorized");
            Assert.StartsWith("Basic realm=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            await DevTokenTests.AssertProblem(await Dashboard(host, "/dashboard/", User, "guessed-password-0123"), HttpStatusCode.Unauthorized, "unauthorized");
            await DevTokenTests.AssertProblem(await Dashboard(host, "/dashboard/", "admin", Password), HttpStatusCode.Unauthorized, "unauthorized");

            var page = await Dashboard(host, "/dashboard/", User, Password);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.Forbidden, (await Dashboard(host, "/dashboard/Trace", User, Password)).StatusCode);
        }
    }

    [Fact]
    public async Task Outside_development_without_credentials_there_is_no_dashboard()
    {
        await using var front = await TestHost.StartFrontAsync(Production(withDashboard: false), "Production");

        await DevTokenTests.AssertProblem(await front.Http.GetAsync("/dashboard/"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NotFound, (await front.Http.GetAsync("/dashboard/Trace")).StatusCode);
    }

    [Fact]
    public async Task Silo_status_needs_the_api_key()
    {
        await using var silo = await TestHost.StartSiloAsync(Production(withDashboard: false), "Production");

        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.Http.GetAsync("/api/status")).StatusCode);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyb290In0.c2ln");
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.Http.SendAsync(withToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Operator.GetAsync("/api/status")).StatusCode);
    }

    private static Dictionary<string, string> Production(bool withDashboard)
    {
        var settings = TestHost.ProductionSettings();
        if (withDashboard)
        {
            settings["DASHBOARD_USERNAME"] = User;
            settings["DASHBOARD_PASSWORD"] = Password;
        }

        return settings;
    }

    private static async Task<HttpResponseMessage> Dashboard(TestHost host, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return await host.Http.SendAsync(request);
    }
}
