namespace WeDrawOS.Grains.Rooms;

/// <summary>
/// The naming convention of private conversations (<c>ROOM_PRIVATE_PREFIXES</c>): a room whose id is one of the
/// prefixes followed by a user id belongs to that user, so that a customer's support room is closed to other
/// customers by its name alone, whatever page or client they use.
/// </summary>
public static class PrivateRoomIds
{
    /// <summary>Longest prefix accepted (room ids are at most 128 characters).</summary>
    public const int MaxPrefixLength = 64;

    /// <summary>
    /// The user a room belongs to, or null when its id starts with none of <paramref name="prefixes"/>. The longest
    /// matching prefix counts (<c>support-vip-42</c> with <c>support-</c> and <c>support-vip-</c> belongs to
    /// <c>42</c>); a bare prefix belongs to nobody ("") and admits staff only.
    /// </summary>
    public static string? OwnerOf(string roomId, IReadOnlyList<string> prefixes)
    {
        string? longest = null;
        foreach (var prefix in prefixes)
        {
            if (roomId.StartsWith(prefix, StringComparison.Ordinal) && prefix.Length > (longest?.Length ?? -1))
            {
                longest = prefix;
            }
        }

        return longest is null ? null : roomId[longest.Length..];
    }
}
