namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// A room or inbox already holds as many messages waiting for their write as it accepts (<c>WRITE_QUEUE_LIMIT</c>):
/// this one was not stored. Retry later with the same client id; the retry is never delivered twice.
/// </summary>
[GenerateSerializer, Alias("wedrawos.BusyException")]
public sealed class BusyException : Exception
{
    public BusyException()
    {
    }

    public BusyException(string message)
        : base(message)
    {
    }

    public BusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
