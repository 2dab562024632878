namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>The answer to a <see cref="PageRequest"/>.</summary>
/// <param name="Messages">Oldest first.</param>
/// <param name="More">True when the page was cut (by its limit or its bytes) and the log holds more messages in the direction read.</param>
[GenerateSerializer, Immutable, Alias("wedrawos.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(1)] bool More);
