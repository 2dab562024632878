using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Tests.Sockets;

/// <summary>Sources for a registry used without a cluster: asking one for anything fails.</summary>
internal sealed class NoClusterSources : IMessageSources, IMessageSource
{
    public static NoClusterSources Instance { get; } = new();

    /// <summary>A registry whose rooms and inboxes never reach a grain.</summary>
    public static ConnectionRegistry Registry(TimeProvider? time = null) =>
        new(() => Instance, time ?? TimeProvider.System, SequencerTiming.Default, Microsoft.Extensions.Logging.Abstractions.NullLogger<ConnectionRegistry>.Instance);

    public IMessageSource RoomSource(string room) => this;

    public IMessageSource InboxSource(string userId) => this;

    public Task<IReadOnlyList<ChatMessage>> ReadAsync(long from, int limit) => throw new InvalidOperationException("no cluster in this test");

    public Task<long> PositionAsync() => throw new InvalidOperationException("no cluster in this test");
}
