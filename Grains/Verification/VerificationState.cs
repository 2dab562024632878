namespace WeDrawOS.Grains.Verification;

/// <summary>
/// The persisted state of one recipient's verification grain: a code per purpose and the times codes were
/// issued (for the rate limits). Both are pruned on every call, so the state stays small.
/// </summary>
[GenerateSerializer, Alias("wedrawos.VerificationState")]
public sealed class VerificationState
{
    [Id(0)]
    public Dictionary<string, StoredCode> Codes { get; set; } = [];

    [Id(1)]
    public List<DateTimeOffset> Issued { get; set; } = [];
}
