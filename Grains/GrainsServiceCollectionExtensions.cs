using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Storage;
using WeDrawOS.Grains.Notifications;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Grains.Verification;
using WeDrawOS.Notifications;

namespace WeDrawOS.Grains;

/// <summary>Wires what only the grains use, in a process that hosts them (a silo, or a front in embedded mode).</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grains' metrics, the outboxes' queue-depth reporter, the realtime storage's serializer and the reminder minimum the outboxes need. The
    /// settings the grains read (<see cref="RealtimeOptions"/>, <see cref="NotificationOptions"/>) are loaded and
    /// registered with the process's others.
    /// </summary>
    public static IServiceCollection AddWeDrawOSGrains(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<MessagingMetrics>();
        services.AddSingleton<EventsOutbox>();
        services.AddHostedService(provider => provider.GetRequiredService<EventsOutbox>());
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<VerificationMetrics>();
        services.AddHostedService<NotificationQueueReporter>();
        services.AddKeyedSingleton<IGrainStorageSerializer>(StorageNames.Realtime, (provider, _) => new MessageLogStorageSerializer(
            provider.GetRequiredService<Serializer<ChatMessage>>(), new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>())));

        // Orleans refuses reminder periods under its minimum (one minute by default); an operator who asks for a
        // shorter safety net gets it.
        services.AddOptions<ReminderOptions>().Configure<IOptions<NotificationOptions>>((o, notifications) =>
        {
            if (notifications.Value.ReminderPeriod < o.MinimumReminderPeriod)
            {
                o.MinimumReminderPeriod = notifications.Value.ReminderPeriod;
            }
        });
        return services;
    }
}
