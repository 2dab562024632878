using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>A message that has its seq and waits for the write that stores it (<see cref="MessageWriter"/>).</summary>
internal sealed class WaitingMessage(ChatMessage message, string? dedupKey, string? originConnection)
{
    public ChatMessage Message { get; } = message;

    public string? DedupKey { get; } = dedupKey;

    /// <summary>The socket that sent it (it gets the ack rather than the message), or null.</summary>
    public string? OriginConnection { get; } = originConnection;

    /// <summary>Completes when the message is stored and handed on, or fails with the write's exception.</summary>
    public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
