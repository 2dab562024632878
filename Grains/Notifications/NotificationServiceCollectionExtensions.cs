using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using WeDrawOS.Grains.Hosting.ServiceManagement;
using WeDrawOS.Notifications;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>Wires the outboxes shared by e-mail and SMS.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox services. <paramref name="hostsGrains"/>: this process runs a silo (so the outboxes live
    /// here and report their queue depth).
    /// </summary>
    public static IServiceCollection AddWeDrawOSNotifications(this IServiceCollection services, NotificationOptions options, bool hostsGrains)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationQueueGauge>();
        services.AddSingleton<IStatusSource, NotificationQueueStatusSource>();
        if (hostsGrains)
        {
            services.AddHostedService<NotificationQueueReporter>();

            // Orleans refuses reminder periods under its minimum (one minute by default); an operator who asks
            // for a shorter safety net gets it.
            services.Configure<ReminderOptions>(o =>
            {
                if (options.ReminderPeriod < o.MinimumReminderPeriod)
                {
                    o.MinimumReminderPeriod = options.ReminderPeriod;
                }
            });
        }

        return services;
    }
}
