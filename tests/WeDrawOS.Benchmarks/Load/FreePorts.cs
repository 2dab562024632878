using System.Net;
using System.Net.Sockets;

namespace WeDrawOS.Benchmarks.Load;

/// <summary>Free loopback ports chosen by the OS.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
