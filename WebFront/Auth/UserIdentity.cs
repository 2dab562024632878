namespace WeDrawOS.WebFront.Auth;

/// <summary>Who a valid token says the caller is.</summary>
public sealed record UserIdentity(string UserId, string? Name, string Role, DateTimeOffset ExpiresAt)
{
    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Admin = "admin";

    public static readonly string[] Roles = [Customer, Agent, Admin];

    /// <summary>Agents and admins may enter rooms that have a member list.</summary>
    public bool IsStaff => Role is Agent or Admin;
}
