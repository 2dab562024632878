using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace WeDrawOS.Benchmarks.Load;

/// <summary>A SignalR client over WebSockets that counts the "message" invocations it receives.</summary>
public sealed class CountingHubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private long _counted;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CountingHubClient(Uri hub)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(hub, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
            .Build();
        _connection.On<string>("message", _ =>
        {
            if (Interlocked.Increment(ref _counted) == Interlocked.Read(ref _target))
            {
                _reached.TrySetResult();
            }
        });
    }

    public HubConnection Connection => _connection;

    public Task StartAsync(CancellationToken cancellationToken) => _connection.StartAsync(cancellationToken);

    public Task ExpectAsync(long count)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _counted, 0);
        Interlocked.Exchange(ref _target, count);
        return _reached.Task;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
