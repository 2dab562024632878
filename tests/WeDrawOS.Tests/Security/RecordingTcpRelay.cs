using System.Net;
using System.Net.Sockets;
using System.Text;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// A TCP relay on a free loopback port in front of a real server that keeps every byte the client sent: what an
/// eavesdropper on the network would read.
/// </summary>
public sealed class RecordingTcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly MemoryStream _sent = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;

    public RecordingTcpRelay(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host), port);
        _listener = new TcpListener(IPAddress.Loopback, FreePort.Next());
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Everything clients sent so far, as Latin-1 text (SMTP commands are ASCII; nothing is lost).</summary>
    public string SentByClients
    {
        get
        {
            lock (_sent)
            {
                return Encoding.Latin1.GetString(_sent.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Task.WhenAll(_pumps.Append(_accepting));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_target, _stop.Token);
            lock (_pumps)
            {
                _pumps.Add(RelayAsync(client, server));
            }
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        using (client)
        using (server)
        {
            var upstream = CopyAsync(client.GetStream(), server.GetStream(), record: true);
            var downstream = CopyAsync(server.GetStream(), client.GetStream(), record: false);
            await Task.WhenAny(upstream, downstream);
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool record)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (record)
                {
                    lock (_sent)
                    {
                        _sent.Write(buffer, 0, read);
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed.
        }
    }
}
