using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>A message that has its seq and waits for the write that stores it (<see cref="MessageWriter"/>).</summary>
internal sealed class WaitingMessage(ChatMessage message, string? dedupKey, string? originConnection, string? originFront)
{
    public ChatMessage Message { get; } = message;

    public string? DedupKey { get; } = dedupKey;

    /// <summary>The socket that sent it (it gets the ack rather than the message), or null.</summary>
    public string? OriginConnection { get; } = originConnection;

    /// <summary>The front of that socket, when it takes the message from the answer instead of a push; or null.</summary>
    public string? OriginFront { get; } = originFront;

    /// <summary>Set when the message was not pushed to <see cref="OriginFront"/>: the sender's answer carries it.</summary>
    public bool AnswerCarries { get; set; }

    /// <summary>Completes when the message is stored and handed on, or fails with the write's exception.</summary>
    public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
