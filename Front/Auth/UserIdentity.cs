using System.Security.Claims;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Auth;

/// <summary>Who a valid token says the caller is.</summary>
public sealed record UserIdentity(string UserId, string? Name, string Role, DateTimeOffset ExpiresAt)
{
    public const string Customer = CallerRoles.Customer;
    public const string Agent = CallerRoles.Agent;
    public const string Admin = CallerRoles.Admin;

    public static readonly string[] Roles = [Customer, Agent, Admin];

    /// <summary>Agents and admins may enter rooms that have a member list.</summary>
    public bool IsStaff => Role is Agent or Admin;

    /// <summary>The principal the bearer scheme hands to authorization: <c>sub</c>, <c>role</c> and, when given, <c>name</c>.</summary>
    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim> { new(CallerRoles.SubjectClaimType, UserId), new(CallerRoles.ClaimType, Role) };
        if (Name is not null)
        {
            claims.Add(new Claim("name", Name));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSchemes.Bearer, CallerRoles.SubjectClaimType, CallerRoles.ClaimType));
    }
}
