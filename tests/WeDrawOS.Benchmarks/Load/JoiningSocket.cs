namespace WeDrawOS.Benchmarks.Load;

/// <summary>A client of this system: connects with a token, waits for <c>welcome</c>, joins a room and waits for <c>joined</c>; then counts <c>message</c> frames.</summary>
public sealed class JoiningSocket : IAsyncDisposable
{
    private readonly TaskCompletionSource _welcomed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JoiningSocket()
    {
        Socket = new CountingSocket("\"type\":\"message\"", frame =>
        {
            if (frame.Contains("\"type\":\"welcome\"", StringComparison.Ordinal))
            {
                _welcomed.TrySetResult();
            }
            else if (frame.Contains("\"type\":\"joined\"", StringComparison.Ordinal))
            {
                _joined.TrySetResult();
            }
            else if (frame.Contains("\"type\":\"error\"", StringComparison.Ordinal))
            {
                _joined.TrySetException(new InvalidOperationException("error frame: " + frame));
            }

            return true;
        });
    }

    public CountingSocket Socket { get; }

    public async Task ConnectAndJoinAsync(Uri uri, string room, CancellationToken cancellationToken)
    {
        await Socket.ConnectAsync(uri, cancellationToken);
        await _welcomed.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await Socket.SendTextAsync($"{{\"type\":\"join\",\"room\":\"{room}\"}}", cancellationToken);
        await _joined.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}
