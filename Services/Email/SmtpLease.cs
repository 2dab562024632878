using MailKit.Net.Smtp;

namespace WeDrawOS.Services.Email;

/// <summary>A client lent by <see cref="SmtpConnectionPool"/>; disposing returns it (or discards it when marked broken).</summary>
public sealed class SmtpLease : IDisposable
{
    private readonly SmtpConnectionPool _pool;
    private bool _broken;
    private bool _returned;

    internal SmtpLease(SmtpConnectionPool pool, SmtpClient client, bool reused)
    {
        _pool = pool;
        Client = client;
        Reused = reused;
    }

    public SmtpClient Client { get; private set; }

    /// <summary>True when the client was already connected: a failure may only mean the idle connection went stale.</summary>
    public bool Reused { get; private set; }

    /// <summary>Throws the connection away and continues with a new, unconnected client.</summary>
    public void Replace()
    {
        SmtpConnectionPool.Discard(Client);
        Client = _pool.NewClient();
        Reused = false;
    }

    public void MarkBroken() => _broken = true;

    public void Dispose()
    {
        if (!_returned)
        {
            _returned = true;
            _pool.Return(Client, _broken);
        }
    }
}
