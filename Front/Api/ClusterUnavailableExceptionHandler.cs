using Microsoft.AspNetCore.Diagnostics;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Front.Api;

/// <summary>
/// A grain call that failed because the cluster or its storage is not reachable now (timeout, silo gone, Redis down:
/// <see cref="ClusterFailures"/>) is a 503 <c>unavailable</c> with <c>Retry-After</c>, as the socket's error frame says,
/// not the 500 <c>internal</c> of a fault in the server.
/// </summary>
internal sealed class ClusterUnavailableExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ClusterFailures.IsUnavailable(exception))
        {
            return false;
        }

        await ApiProblems.Unavailable().ExecuteAsync(httpContext);
        return true;
    }
}
