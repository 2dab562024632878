namespace WeDrawOS.Hosting.Security;

/// <summary>The <c>role</c> claim values of the wire contract that authorization policies look at.</summary>
public static class CallerRoles
{
    /// <summary>Claim type of the role (the JWT's <c>role</c>, not mapped to a URI).</summary>
    public const string ClaimType = "role";

    /// <summary>Claim type of the user id (the JWT's <c>sub</c>).</summary>
    public const string SubjectClaimType = "sub";

    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Admin = "admin";
}
