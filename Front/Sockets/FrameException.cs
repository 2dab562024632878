namespace WeDrawOS.Front.Sockets;

/// <summary>A frame the server refuses: answered with an <c>error</c> frame carrying <see cref="Code"/>; the socket stays open.</summary>
internal sealed class FrameException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
