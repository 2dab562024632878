using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>
/// Fans a batch out over the outboxes, at most <see cref="NotificationOptions.BatchConcurrency"/> at a time.
/// Stateless, so Orleans runs as many activations as there is load for, on every silo.
/// </summary>
[StatelessWorker]
public sealed class NotificationBatchGrain(IOptions<NotificationOptions> options) : Grain, INotificationBatchGrain
{
    public async Task<IReadOnlyList<BatchItemResult>> EnqueueBatch(IReadOnlyList<BatchNotification> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new BatchItemResult[items.Count];
        using var gate = new SemaphoreSlim(options.Value.BatchConcurrency);
        var tasks = new List<Task>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            await gate.WaitAsync();
            tasks.Add(EnqueueOneAsync(items[i], i));
        }

        await Task.WhenAll(tasks);
        return results;

        async Task EnqueueOneAsync(BatchNotification item, int index)
        {
            try
            {
                var record = await GrainFactory.GetGrain<INotifierGrain>(item.NotifierKey).Enqueue(item.Request);
                results[index] = new BatchItemResult(record.Id, null);
            }
            catch (Exception e) when (e is ArgumentException or OutboxFullException)
            {
                results[index] = new BatchItemResult(null, e.Message);
            }
            catch (Exception e)
            {
                // Nothing was acknowledged for this item: the caller may send it again.
                results[index] = new BatchItemResult(null, "could not be queued: " + e.GetType().Name);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
