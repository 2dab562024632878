using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>Free loopback ports chosen by the OS, never the same one twice in a test run.</summary>
public static class FreePort
{
    private static readonly ConcurrentDictionary<int, bool> Handed = new();

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (Handed.TryAdd(port, true))
            {
                return port;
            }
        }
    }
}
