namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Writes a room's (or a user's) frames to its local sockets in the order they were queued, without holding any lock
/// while writing: a change is queued under a small lock, and whoever finds no writer running becomes the writer and
/// applies everything queued (its own and what others queue meanwhile) to the <see cref="SocketGroup"/>, which only
/// the writer touches. So the frames of one room leave in one order for every socket, and a delivery to many sockets
/// never blocks a caller that delivers to another room.
/// </summary>
internal sealed class OrderedFanout
{
    private readonly Lock _lock = new();
    private readonly SocketGroup _sockets = new();
    private List<Action<SocketGroup>> _queued = [];
    private List<Action<SocketGroup>> _spare = [];
    private bool _writing;

    /// <summary>Queues a change; it takes effect at the next <see cref="Write"/> (by this caller or the running writer).</summary>
    public void Queue(Action<SocketGroup> change)
    {
        lock (_lock)
        {
            _queued.Add(change);
        }
    }

    /// <summary>Applies what is queued, unless another caller is doing so already (it will apply this caller's changes too).</summary>
    public void Write()
    {
        while (true)
        {
            List<Action<SocketGroup>> batch;
            lock (_lock)
            {
                if (_writing || _queued.Count == 0)
                {
                    return;
                }

                _writing = true;
                batch = _queued;
                _queued = _spare;
            }

            try
            {
                foreach (var change in batch)
                {
                    change(_sockets);
                }
            }
            finally
            {
                batch.Clear();
                lock (_lock)
                {
                    _spare = batch;
                    _writing = false;
                }
            }
        }
    }
}
