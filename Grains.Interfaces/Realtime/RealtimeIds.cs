namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// The rule for user ids, room ids, sender names and client message ids, applied by every way in (sockets, the HTTP
/// API, <c>WeDrawOS.Client</c>) before a grain is addressed, so that arbitrary input never activates a grain.
/// </summary>
public static class RealtimeIds
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= MaxLength && !id.Any(char.IsControl);
}
