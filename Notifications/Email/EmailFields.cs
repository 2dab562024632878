namespace WeDrawOS.Notifications.Email;

/// <summary>The <see cref="Grains.Interfaces.Notifications.NotificationRequest.Fields"/> names the e-mail channel reads.</summary>
public static class EmailFields
{
    public const string Subject = "subject";
    public const string Text = "text";
    public const string Html = "html";
    public const string Code = "code";
    public const string ExpireMinutes = "expireMinutes";
    public const string ResetToken = "resetToken";
    public const string ExpireHours = "expireHours";
    public const string ActivationToken = "activationToken";
    public const string Title = "title";
    public const string Content = "content";
}
