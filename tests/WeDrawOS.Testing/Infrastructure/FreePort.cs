using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Free ports for servers the tests start, never the same one twice in a test run. They are drawn below the
/// kernel's ephemeral range (32768 and up on Linux): a port the OS hands out for port 0 can be taken again as the
/// local port of any outgoing connection before our server binds it, which made listeners fail with
/// "address already in use" under load.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int End = 32768;

    private static readonly ConcurrentDictionary<int, bool> Handed = new();

    public static int Next()
    {
        while (true)
        {
            var port = Random.Shared.Next(First, End);
            if (IsFree(port) && Handed.TryAdd(port, true))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            // Binding the wildcard address detects listeners on loopback and on every interface.
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
