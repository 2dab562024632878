namespace WeDrawOS.WebFront.Api;

/// <summary>The rule for user ids, room ids and client message ids, shared by the HTTP API and the sockets.</summary>
public static class RealtimeIds
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= MaxLength && !id.Any(char.IsControl);
}
