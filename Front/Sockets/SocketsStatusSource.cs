using WeDrawOS.Hosting.ServiceManagement;

namespace WeDrawOS.Front.Sockets;

/// <summary>The <c>sockets</c> field of <c>/api/status</c>: open sockets on this front.</summary>
internal sealed class SocketsStatusSource(ConnectionRegistry registry) : IStatusSource
{
    public string Name => "sockets";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<object?>(registry.Count);
}
