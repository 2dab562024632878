namespace WeDrawOS.Grains.Verification;

/// <summary>A pending code: only its salted hash, when it expires, and the wrong guesses so far.</summary>
[GenerateSerializer, Alias("wedrawos.StoredCode")]
public sealed class StoredCode
{
    [Id(0)]
    public byte[] Salt { get; set; } = [];

    [Id(1)]
    public byte[] Hash { get; set; } = [];

    [Id(2)]
    public DateTimeOffset ExpiresAt { get; set; }

    [Id(3)]
    public int FailedAttempts { get; set; }
}
