using WeDrawOS.Hosting.ServiceManagement;

namespace WeDrawOS.Front.Sockets;

/// <summary>The <c>activeRooms</c> field of <c>/api/status</c>: rooms with at least one socket on this front.</summary>
internal sealed class ActiveRoomsStatusSource(ConnectionRegistry registry) : IStatusSource
{
    public string Name => "activeRooms";

    public ValueTask<object?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<object?>(registry.ActiveRooms);
}
