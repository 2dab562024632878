using System.Collections.Concurrent;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Services.Email;

/// <summary>
/// At most <c>MAIL_POOL_SIZE</c> SMTP clients, kept connected between messages. A client is lent to one sender at
/// a time (MailKit clients are not thread-safe); a client whose connection failed is returned broken and
/// replaced by a fresh one on the next loan.
/// </summary>
public sealed class SmtpConnectionPool(IOptions<MailOptions> options, SmtpClientFactory clients) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.PoolSize, options.Value.PoolSize);
    private readonly ConcurrentBag<SmtpClient> _idle = [];
    private bool _disposed;

    /// <summary>Waits for a free slot and lends a client: an idle connected one when there is one.</summary>
    public async Task<SmtpLease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken);
        while (_idle.TryTake(out var idle))
        {
            if (idle.IsConnected)
            {
                return new SmtpLease(this, idle, reused: true);
            }

            Discard(idle);
        }

        return new SmtpLease(this, clients.Create(), reused: false);
    }

    internal SmtpClient NewClient() => clients.Create();

    internal void Return(SmtpClient client, bool broken)
    {
        if (broken || _disposed || !client.IsConnected)
        {
            Discard(client);
        }
        else
        {
            _idle.Add(client);
        }

        _slots.Release();
    }

    /// <summary>Drops a connection without a QUIT round trip: it is broken, or stale.</summary>
    internal static void Discard(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                client.Disconnect(false);
            }
        }
        catch (Exception e) when (e is IOException or ServiceNotConnectedException or SmtpProtocolException or OperationCanceledException)
        {
            // Already gone.
        }

        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var client))
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(true, quit.Token);
            }
            catch (Exception e) when (e is IOException or ServiceNotConnectedException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
            {
                // Leaving anyway.
            }

            client.Dispose();
        }
    }
}
