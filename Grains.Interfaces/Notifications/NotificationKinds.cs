namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>What a notification is; each kind has its template and its expected <see cref="NotificationRequest.Fields"/>.</summary>
public static class NotificationKinds
{
    /// <summary>Caller-supplied text. E-mail fields: <c>subject</c>, <c>text</c> and/or <c>html</c>. SMS fields: <c>content</c>.</summary>
    public const string Custom = "custom";

    /// <summary>Fields: <c>code</c>, <c>expireMinutes</c>.</summary>
    public const string VerificationCode = "verification_code";

    /// <summary>E-mail only. Fields: <c>resetToken</c>, <c>expireHours</c>.</summary>
    public const string PasswordReset = "password_reset";

    /// <summary>E-mail only. Fields: <c>activationToken</c>.</summary>
    public const string Activation = "activation";

    /// <summary>Fields: <c>title</c>, <c>content</c>.</summary>
    public const string Notification = "notification";
}
