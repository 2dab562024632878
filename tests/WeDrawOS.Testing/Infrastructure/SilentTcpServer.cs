using System.Net;
using System.Net.Sockets;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A server that accepts TCP connections on a free loopback port and never says a word, as a hung mail server
/// does: what client timeouts are for.
/// </summary>
public sealed class SilentTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<TcpClient> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SilentTcpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, FreePort.Next());
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(client);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_accepted)
        {
            _accepted.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
