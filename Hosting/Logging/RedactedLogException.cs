namespace WeDrawOS.Hosting.Logging;

/// <summary>Stands in for a logged exception whose text held a token: the same text, masked.</summary>
internal sealed class RedactedLogException(Exception original) : Exception(TokenRedaction.Redact(original.Message))
{
    private readonly string _text = TokenRedaction.Redact(original.ToString());

    public override string ToString() => _text;
}
