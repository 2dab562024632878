namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The sockets this front holds, by connection id and by user, each user with the <see cref="MessageFeed"/> of its inbox
/// (created with the user's first socket here, ended with its last).
/// </summary>
internal sealed class SocketIndex(Func<string, MessageFeed> newInboxFeed)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SocketConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserSockets> _users = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Adds the socket; it gets its user's inbox from now on.</summary>
    public void Add(SocketConnection socket)
    {
        MessageFeed feed;
        lock (_lock)
        {
            _connections[socket.Id] = socket;
            if (!_users.TryGetValue(socket.UserId, out var user))
            {
                _users[socket.UserId] = user = new UserSockets(newInboxFeed(socket.UserId));
            }

            user.Sockets.Add(socket);
            feed = user.Feed;
            feed.Queue(g => g.Add(socket));
        }

        feed.Write();
    }

    /// <summary>Forgets the socket; its user's inbox feed ends with the user's last socket here.</summary>
    public void Remove(SocketConnection socket)
    {
        MessageFeed feed;
        lock (_lock)
        {
            _connections.Remove(socket.Id);
            if (!_users.TryGetValue(socket.UserId, out var user) || !user.Sockets.Remove(socket))
            {
                return;
            }

            feed = user.Feed;
            feed.Queue(g => g.Remove(socket, farewell: null));
            if (user.Sockets.Count == 0)
            {
                _users.Remove(socket.UserId);
                feed.Dispose();
            }
        }

        feed.Write();
    }

    /// <summary>A snapshot of every socket.</summary>
    public List<SocketConnection> All()
    {
        lock (_lock)
        {
            return [.. _connections.Values];
        }
    }

    /// <summary>Each local user with the ids of its sockets here.</summary>
    public List<(string UserId, List<string> ConnectionIds)> Users()
    {
        lock (_lock)
        {
            return _users.Select(u => (u.Key, u.Value.Sockets.Select(c => c.Id).ToList())).ToList();
        }
    }

    public MessageFeed? InboxFeed(string userId)
    {
        lock (_lock)
        {
            return _users.TryGetValue(userId, out var user) ? user.Feed : null;
        }
    }

    public List<MessageFeed> InboxFeeds()
    {
        lock (_lock)
        {
            return _users.Values.Select(u => u.Feed).ToList();
        }
    }

    private sealed record UserSockets(MessageFeed Feed)
    {
        public List<SocketConnection> Sockets { get; } = [];
    }
}
