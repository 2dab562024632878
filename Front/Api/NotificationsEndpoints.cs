using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Hosting.Security;

namespace WeDrawOS.Front.Api;

/// <summary><c>GET /api/notifications/{id}</c>: status, attempts and error of any e-mail or SMS notification.</summary>
public static class NotificationsEndpoints
{
    public static WebApplication MapNotificationsEndpoints(this WebApplication app)
    {
        app.MapGroup("/api/notifications").RequireAuthorization(AuthPolicies.Admin)
            .MapGet("/{id}", async (string id, IGrainFactory grains) =>
                await grains.FindAsync(id) is { } record
                    ? Results.Ok(NotificationView.From(record))
                    : ApiProblems.NotFound($"no notification '{id}'"));
        return app;
    }
}
