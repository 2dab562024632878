namespace WeDrawOS.Notifications.Email;

/// <summary>The outcome for one recipient of a batch: the notification id, or why nothing was queued.</summary>
public sealed record EmailBatchResult(string To, string? Id, string? Error);
