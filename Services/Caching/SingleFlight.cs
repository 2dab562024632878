using System.Collections.Concurrent;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// Runs at most one piece of work per key at a time in this process: callers that arrive while it runs get the
/// same task. A caller joins synchronously, before the first await, so callers started together share one run.
/// </summary>
internal sealed class SingleFlight
{
    private readonly ConcurrentDictionary<string, Task<object?>> _running = new(StringComparer.Ordinal);

    public Task<object?> RunAsync(string key, Func<Task<object?>> work)
    {
        while (true)
        {
            if (_running.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var completion = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running.TryAdd(key, completion.Task))
            {
                _ = OwnAsync(key, completion, work);
                return completion.Task;
            }
        }
    }

    private async Task OwnAsync(string key, TaskCompletionSource<object?> completion, Func<Task<object?>> work)
    {
        object? result = null;
        Exception? failure = null;
        try
        {
            result = await work();
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Leave before answering: a caller that sees this run end and asks again must start a new run, not join this
        // one. Only this run's entry: a later run for the same key may already have replaced it.
        _running.TryRemove(KeyValuePair.Create(key, completion.Task));
        if (failure is null)
        {
            completion.SetResult(result);
        }
        else
        {
            completion.SetException(failure);
        }
    }
}
