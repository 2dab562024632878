namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>An answer to a send; <paramref name="Id"/> is null when the answer names no message.</summary>
public readonly record struct SendReply(SendReplyKind Kind, MessageId? Id = null, string? Code = null);
