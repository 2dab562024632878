namespace WeDrawOS.Grains.Interfaces.Storage;

/// <summary>
/// Grain storage providers beyond the default one: silos register them (<c>AddWeDrawOSState</c>) and grains name them
/// in <c>[PersistentState]</c>, so both sides take the names from here. Clients never use them.
/// </summary>
public static class StorageNames
{
    /// <summary>Holds stream subscriptions; must exist on every silo where streams are used.</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>State of the user and room grains, binary serialized (docs/realtime.md).</summary>
    public const string Realtime = "realtime";
}
