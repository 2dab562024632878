namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>A realtime system running on two servers, started by the scenario and stopped when disposed.</summary>
public interface ISystemUnderTest : IAsyncDisposable
{
    /// <summary>Name in the tables.</summary>
    string Name { get; }

    IRealtimeProtocol Protocol { get; }

    /// <summary>How many servers take sockets; clients are spread over them.</summary>
    int Servers { get; }

    /// <summary>The WebSocket address of <paramref name="server"/> for <paramref name="userId"/>.</summary>
    Uri SocketUri(int server, string userId);

    /// <summary>CPU time the system's server processes and its Redis have used since they started.</summary>
    TimeSpan ServersProcessorTime();

    /// <summary>
    /// What the servers' own counters say of room sends and the calls that carried them since they started; null for a
    /// system that takes a connection's sends one at a time (SignalR runs a connection's invocations one after another).
    /// </summary>
    Task<PostCounts?> PostCountsAsync(CancellationToken cancellationToken);

    /// <summary>Sends <see cref="LoadPayload.Broadcast"/> to every connected socket, through the first server's HTTP API.</summary>
    Task BroadcastAsync(int number, CancellationToken cancellationToken);
}
