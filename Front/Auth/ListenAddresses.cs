using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WeDrawOS.Front.Auth;

/// <summary>Where the HTTP server actually listens, as it reports after start (whatever chose the URLs).</summary>
public static class ListenAddresses
{
    /// <summary>
    /// True when the server listens on at least one address and every one is loopback (<c>localhost</c>,
    /// <c>127.0.0.0/8</c>, <c>::1</c>); false for <c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, host names and Unix sockets.
    /// </summary>
    public static bool AllLoopback(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is { Count: > 0 } && addresses.All(IsLoopback);
    }

    private static bool IsLoopback(string address)
    {
        var binding = BindingAddress.Parse(address);
        if (binding.IsNamedPipe || binding.IsUnixPipe)
        {
            return false;
        }

        var host = binding.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
