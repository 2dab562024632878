using Microsoft.AspNetCore.Http.Features;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Kestrel's upgrade feature with the upgraded stream wrapped in a <see cref="KeepAliveStream"/>. Set on upgradable
/// requests before the WebSocket middleware runs, which takes the upgrade feature from the request's features at that
/// point and calls <see cref="UpgradeAsync"/> when the socket is accepted.
/// </summary>
internal sealed class KeepAliveUpgradeFeature(IHttpUpgradeFeature inner, TimeProvider time) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    /// <summary>The stream the WebSocket runs on, once the request was upgraded.</summary>
    public KeepAliveStream? Stream { get; private set; }

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new KeepAliveStream(await inner.UpgradeAsync(), time);
        return Stream;
    }

    /// <summary>Wraps the upgrade feature of every upgradable request; other requests pass untouched.</summary>
    public static IApplicationBuilder UseKeepAliveUpgrade(IApplicationBuilder app, TimeProvider time) =>
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new KeepAliveUpgradeFeature(upgrade, time));
            }

            return next(context);
        });
}
