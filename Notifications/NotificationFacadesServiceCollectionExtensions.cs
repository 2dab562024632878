using Microsoft.Extensions.DependencyInjection;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Notifications.Sms;

namespace WeDrawOS.Notifications;

/// <summary>Wires the .NET facades over the outboxes, which every process offers (silo, front, co-hosted).</summary>
public static class NotificationFacadesServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IEmailService"/> and <see cref="ISmsService"/>: they validate and queue through the grains.</summary>
    public static IServiceCollection AddWeDrawOSNotificationFacades(this IServiceCollection services)
    {
        services.AddSingleton<IEmailService, EmailService>();
        services.AddSingleton<ISmsService, SmsService>();
        return services;
    }
}
