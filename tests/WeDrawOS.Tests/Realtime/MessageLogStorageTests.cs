using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// How message logs are stored (<see cref="MessageLogStorageSerializer"/>): a segment round-trips, a segment stored
/// in Orleans' own format before it still loads, other states are left to Orleans, and a room's history and client
/// ids survive its grain deactivating.
/// </summary>
public sealed class MessageLogStorageTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(ChatMessage).Assembly).AddAssembly(typeof(MessageLogSegment).Assembly))
        .BuildServiceProvider();

    private TestHost? _front;

    private OrleansGrainStorageSerializer Orleans => new(_services.GetRequiredService<Serializer>());

    private MessageLogStorageSerializer Logs => new(_services.GetRequiredService<Serializer<ChatMessage>>(), Orleans);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_front is not null)
        {
            await _front.DisposeAsync();
        }

        await _services.DisposeAsync();
    }

    private static MessageLogSegment Segment(int count) => new()
    {
        Messages = Enumerable.Range(1, count).Select(n => new ChatMessage(
            "room-1", n, n % 2 == 0 ? "客服-1" : "customer", n % 3 == 0 ? null : "c" + n, $"{{\"text\":\"你好 hello {n}\"}}",
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + n), null)).ToList(),
        Dedup = Enumerable.Range(1, count).Where(n => n % 3 != 0).Select(n => new DedupEntry((n % 2 == 0 ? "客服-1" : "customer") + "\nc" + n, n)).ToList(),
    };

    [Fact]
    public void A_segment_round_trips_in_its_own_format_and_serializes_the_same_twice()
    {
        var logs = Logs;
        var segment = Segment(100);

        var first = logs.Serialize(segment);
        var again = logs.Serialize(segment);
        var loaded = logs.Deserialize<MessageLogSegment>(first);

        Assert.Equal(MessageLogStorageSerializer.FormatMarker, first.ToMemory().Span[0]);
        Assert.Equal(first.ToArray(), again.ToArray());
        Assert.Equal(segment.Messages, loaded.Messages);
        Assert.Equal(segment.Dedup, loaded.Dedup);
        Assert.Equal(first.ToArray(), logs.Serialize(loaded).ToArray());
    }

    [Fact]
    public void A_segment_stored_in_Orleans_format_before_still_loads()
    {
        var segment = Segment(70);
        var stored = Orleans.Serialize(segment);

        Assert.NotEqual(MessageLogStorageSerializer.FormatMarker, stored.ToMemory().Span[0]);
        var loaded = Logs.Deserialize<MessageLogSegment>(stored);
        Assert.Equal(segment.Messages, loaded.Messages);
        Assert.Equal(segment.Dedup, loaded.Dedup);
    }

    [Fact]
    public void Empty_segments_and_other_states_are_written_as_expected()
    {
        var empty = Logs.Deserialize<MessageLogSegment>(Logs.Serialize(new MessageLogSegment()));
        Assert.Empty(empty.Messages);
        Assert.Empty(empty.Dedup);

        var other = new List<string> { "a", "b" };
        Assert.Equal(Orleans.Serialize(other).ToArray(), Logs.Serialize(other).ToArray());
        Assert.Equal(other, Logs.Deserialize<List<string>>(Logs.Serialize(other)));
    }

    [Fact]
    public async Task A_rooms_history_and_client_ids_survive_its_grain_deactivating()
    {
        _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        var room = _front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("stored-log");

        // 150 messages: past two folds of the tail into the archive, and a tail left over.
        for (var n = 1; n <= 150; n++)
        {
            await room.Post(new OutgoingMessage("bot", "c" + n, n.ToString(CultureInfo.InvariantCulture), null), senderIsStaff: true);
        }

        await room.Cast<global::Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        var history = await room.History(PageRequest.After(0, 1000, int.MaxValue));
        Assert.Equal(Enumerable.Range(1, 150).Select(n => (long)n), history.Messages.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(1, 150).Select(n => n.ToString(CultureInfo.InvariantCulture)), history.Messages.Select(m => m.Data));
        var repeated = await room.Post(new OutgoingMessage("bot", "c7", "7 again", null), senderIsStaff: true);
        Assert.Equal(new SendResult(7, true, false), repeated);
    }
}
