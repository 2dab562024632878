namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Cluster mode: when this front loses a gateway (its silo stopped or died), pushes that were on their way through it
/// may be lost, and the grains of that silo move. Every room and inbox with local sockets then asks its grain where it
/// is, which also registers this front there again, until the grain answers from its new silo.
/// </summary>
internal sealed partial class GatewayLossWatch(ConnectionRegistry registry, ILogger<GatewayLossWatch> logger) : IClusterConnectionStatusObserver
{
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways || connectionRecovered)
        {
            LogGatewaysChanged(logger, previousNumberOfGateways, currentNumberOfGateways);
            registry.CheckAllPositions();
        }
    }

    public void NotifyClusterConnectionLost()
    {
        // Nothing to ask until a gateway answers again: that is a count change with connectionRecovered.
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateways went from {Previous} to {Current}: checking every room and inbox with sockets here")]
    private static partial void LogGatewaysChanged(ILogger logger, int previous, int current);
}
