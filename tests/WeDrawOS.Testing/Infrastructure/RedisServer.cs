using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, for tests that stop and restart Redis.
/// Stopping kills the process; starting again reuses the port so clients can reconnect.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly (string CertificateFile, string KeyFile)? _tls;
    private ChildProcess? _process;

    private RedisServer(int port, (string CertificateFile, string KeyFile)? tls = null)
    {
        Port = port;
        _tls = tls;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>CPU time the running server has used so far (zero when stopped).</summary>
    public TimeSpan ProcessorTime() => _process?.ProcessorTime() ?? TimeSpan.Zero;

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A server that speaks only TLS (its <c>tls-port</c>), presenting the given certificate; clients need no certificate.</summary>
    public static async Task<RedisServer> StartTlsAsync(string certificateFile, string keyFile)
    {
        var server = new RedisServer(FreePort.Next(), (certificateFile, keyFile));
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var port = Port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(ExternalProgram.Find("redis-server", "REDIS_SERVER_BIN"))
        {
            ArgumentList = { "--bind", Host, "--save", "", "--appendonly", "no" },
        };
        if (_tls is { } tls)
        {
            foreach (var argument in new[] { "--port", "0", "--tls-port", port, "--tls-cert-file", tls.CertificateFile, "--tls-key-file", tls.KeyFile, "--tls-auth-clients", "no" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(port);
        }

        _process = ChildProcess.Start(start);
        await WaitUntilAnswersAsync(Host, Port, TimeSpan.FromSeconds(15), tls: _tls is not null);
    }

    /// <summary>Kills the server as a crash would (no clean shutdown), and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>SIGSTOP: the server's sockets stay open but nothing answers, an outage a closed connection does not reveal.</summary>
    public Task FreezeAsync() => _process!.SignalAsync("STOP");

    /// <summary>SIGCONT: a frozen server answers again at once.</summary>
    public Task ThawAsync() => _process!.SignalAsync("CONT");

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Polls with PING (over TLS with <paramref name="tls"/>, trusting whatever certificate) until the server answers PONG.</summary>
    public static async Task WaitUntilAnswersAsync(string host, int port, TimeSpan timeout, bool tls = false)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(host, port, deadline.Token);
                await using var secure = tls ? new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true) : null;
                if (secure is not null)
                {
                    await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, deadline.Token);
                }

                Stream stream = secure ?? (Stream)tcp.GetStream();

                await stream.WriteAsync("PING\r\n"u8.ToArray(), deadline.Token);
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
