namespace WeDrawOS.Notifications.Sms;

/// <summary>One item of a batch: the notification id when it was queued, otherwise why not.</summary>
public sealed record SmsBatchResult(string Phone, string? Id, string? Error);
