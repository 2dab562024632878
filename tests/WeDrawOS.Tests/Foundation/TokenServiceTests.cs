using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WeDrawOS.Front.Auth;

namespace WeDrawOS.Tests.Foundation;

public sealed class TokenServiceTests
{
    private const string Secret = "test-secret-test-secret-test-secret!";

    [Fact]
    public async Task Issued_token_names_the_user_and_role()
    {
        var tokens = Service();

        var (identity, error) = await tokens.ValidateAsync(tokens.Issue("alice", "agent", "Alice", TimeSpan.FromMinutes(10)));

        Assert.Null(error);
        Assert.Equal(("alice", "agent", "Alice"), (identity!.UserId, identity.Role, identity.Name));
    }

    [Fact]
    public async Task Missing_role_means_customer()
    {
        var token = Sign(new() { ["sub"] = "bob" }, DateTime.UtcNow.AddMinutes(5));

        var (identity, _) = await Service().ValidateAsync(token);

        Assert.Equal(UserIdentity.Customer, identity!.Role);
    }

    [Fact]
    public async Task Expired_token_is_refused_beyond_the_allowed_skew()
    {
        // JWT_CLOCK_SKEW_SECONDS defaults to 30.
        var withinSkew = Sign(new() { ["sub"] = "bob" }, DateTime.UtcNow.AddSeconds(-15));
        var expired = Sign(new() { ["sub"] = "bob" }, DateTime.UtcNow.AddSeconds(-60));

        Assert.NotNull((await Service().ValidateAsync(withinSkew)).Identity);
        Assert.Equal("the token has expired", (await Service().ValidateAsync(expired)).Error);
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_refused() =>
        Assert.Null((await Service().ValidateAsync(Sign(new() { ["sub"] = "eve" }, DateTime.UtcNow.AddMinutes(5), "another-secret-another-secret-another"))).Identity);

    [Fact]
    public async Task Unsigned_alg_none_token_is_refused()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var token = $"{Part("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Part($"{{\"sub\":\"eve\",\"role\":\"admin\",\"exp\":{exp}}}")}.";

        Assert.Null((await Service().ValidateAsync(token)).Identity);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public async Task Malformed_token_is_refused(string token) => Assert.Null((await Service().ValidateAsync(token)).Identity);

    [Fact]
    public async Task Token_without_sub_or_exp_is_refused()
    {
        var tokens = Service();
        Assert.Null((await tokens.ValidateAsync(Sign(new() { ["role"] = "admin" }, DateTime.UtcNow.AddMinutes(5)))).Identity);
        Assert.Null((await tokens.ValidateAsync(Sign(new() { ["sub"] = "bob" }, expires: null))).Identity);
    }

    [Fact]
    public async Task Issuer_and_audience_are_checked_when_configured()
    {
        var strict = Service(issuer: "wedrawos", audience: "clients");
        var right = strict.Issue("alice", "customer", null, TimeSpan.FromMinutes(5));
        var wrong = Service(issuer: "someone-else", audience: "clients").Issue("alice", "customer", null, TimeSpan.FromMinutes(5));

        Assert.NotNull((await strict.ValidateAsync(right)).Identity);
        Assert.Equal("the token's issuer is not accepted", (await strict.ValidateAsync(wrong)).Error);
    }

    private static TokenService Service(string? issuer = null, string? audience = null) =>
        new(Options.Create(new AuthOptions { JwtSecret = Secret, JwtIssuer = issuer, JwtAudience = audience }), NullLogger<TokenService>.Instance);

    private static string Sign(Dictionary<string, object> claims, DateTime? expires, string secret = Secret)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = expires is not null };
        if (expires is not null)
        {
            descriptor.Expires = expires;
            descriptor.NotBefore = expires.Value.AddHours(-1);
            descriptor.IssuedAt = expires.Value.AddHours(-1);
        }

        return handler.CreateToken(descriptor);
    }
}
