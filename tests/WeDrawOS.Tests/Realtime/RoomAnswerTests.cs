using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A room post sent through a front that names itself (<see cref="OutgoingMessage.OriginFront"/>) comes back in its
/// answer and is pushed only to the other fronts; posts from services and duplicates are pushed as before.
/// </summary>
public sealed class RoomAnswerTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task A_post_through_a_front_comes_back_in_its_answer_and_is_pushed_only_to_other_fronts()
    {
        var cluster = _front.GetRequiredService<IClusterClient>();
        var recorder = new PushRecorder();
        var reference = cluster.CreateObjectReference<IFrontObserver>(recorder);
        var room = cluster.GetGrain<IRoomGrain>("answers");
        await room.Subscribe("front-test", reference, TimeSpan.FromMinutes(5));

        var own = await room.Post(new OutgoingMessage("monitor", "a1", "1", "socket-1", OriginFront: "front-test"), senderIsStaff: true);
        Assert.Equal(1, own!.Seq);
        Assert.Equal((1L, "1", "a1"), (own.Message!.Seq, own.Message.Data, own.Message.ClientId));

        var fromElsewhere = await room.Post(new OutgoingMessage("monitor", "a2", "2", "socket-2", OriginFront: "front-elsewhere"), senderIsStaff: true);
        var fromService = await room.Post(new OutgoingMessage("monitor", "a3", "3", null), senderIsStaff: true);
        var resent = await room.Post(new OutgoingMessage("monitor", "a1", "1", "socket-1", OriginFront: "front-test"), senderIsStaff: true);
        Assert.Equal((2L, 3L), (fromElsewhere!.Seq, fromService!.Seq));
        Assert.Equal(2L, fromElsewhere.Message?.Seq);
        Assert.Null(fromService.Message);
        Assert.Equal((1L, true), (resent!.Seq, resent.Duplicate));
        Assert.Null(resent.Message);

        // One grain's pushes to one observer arrive in order: seq 1, had it been pushed, would be here before seq 3.
        await recorder.Reached(3).WaitAsync(WsClient.Timeout);
        Assert.Equal([2L, 3L], recorder.Seqs());
        await room.Unsubscribe("front-test");
        cluster.DeleteObjectReference<IFrontObserver>(reference);
    }

    private sealed class PushRecorder : IFrontObserver
    {
        private readonly List<long> _seqs = [];
        private readonly List<(long Seq, TaskCompletionSource Reached)> _waits = [];

        public long[] Seqs()
        {
            lock (_seqs)
            {
                return [.. _seqs];
            }
        }

        public Task Reached(long seq)
        {
            lock (_seqs)
            {
                if (_seqs.Contains(seq))
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((seq, reached));
                return reached.Task;
            }
        }

        public Task RoomMessages(IReadOnlyList<PushedMessage> messages)
        {
            lock (_seqs)
            {
                foreach (var pushed in messages)
                {
                    _seqs.Add(pushed.Message.Seq);
                    _waits.Where(w => w.Seq == pushed.Message.Seq).ToList().ForEach(w => w.Reached.TrySetResult());
                }
            }

            return Task.CompletedTask;
        }

        public Task DirectMessage(string userId, ChatMessage message, string? exceptConnection) => Task.CompletedTask;

        public Task RoomEvent(string room, string kind, string userId) => Task.CompletedTask;

        public Task Broadcast(BroadcastMessage message) => Task.CompletedTask;

        public Task RoomAccessRevoked(string room, string userId) => Task.CompletedTask;

        public Task RoomRestricted(string room, IReadOnlyList<string> allowed) => Task.CompletedTask;

        public Task RoomTyping(string room, string userId) => Task.CompletedTask;

        public Task RoomReceipt(string room, string userId, long seq, string? exceptConnection) => Task.CompletedTask;
    }
}
