using System.Globalization;
using System.Security.Claims;
using WeDrawOS.Grains.Hosting.Security;

namespace WeDrawOS.WebFront.Auth;

/// <summary>Who a valid token says the caller is.</summary>
public sealed record UserIdentity(string UserId, string? Name, string Role, DateTimeOffset ExpiresAt)
{
    public const string Customer = CallerRoles.Customer;
    public const string Agent = CallerRoles.Agent;
    public const string Admin = CallerRoles.Admin;

    public static readonly string[] Roles = [Customer, Agent, Admin];

    private const string NameClaimType = "name";
    private const string ExpiresClaimType = "exp";

    /// <summary>Agents and admins may enter rooms that have a member list.</summary>
    public bool IsStaff => Role is Agent or Admin;

    /// <summary>The principal the bearer scheme hands to authorization: <c>sub</c>, <c>role</c>, <c>name</c> and <c>exp</c>.</summary>
    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim>
        {
            new(CallerRoles.SubjectClaimType, UserId),
            new(CallerRoles.ClaimType, Role),
            new(ExpiresClaimType, ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        };
        if (Name is not null)
        {
            claims.Add(new Claim(NameClaimType, Name));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.Bearer, CallerRoles.SubjectClaimType, CallerRoles.ClaimType));
    }

    /// <summary>The identity in a principal made by <see cref="ToPrincipal"/>.</summary>
    public static UserIdentity FromPrincipal(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(CallerRoles.SubjectClaimType)!,
        principal.FindFirstValue(NameClaimType),
        principal.FindFirstValue(CallerRoles.ClaimType)!,
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(principal.FindFirstValue(ExpiresClaimType)!, CultureInfo.InvariantCulture)));
}
