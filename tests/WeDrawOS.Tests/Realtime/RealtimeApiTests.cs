using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Streams;
using WeDrawOS.Front.Auth;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>The HTTP API and the Orleans client reach sockets; the API needs an API key or an admin token.</summary>
public sealed class RealtimeApiTests : IAsyncLifetime
{
    private TestHost _front = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        _api = new HttpClient { BaseAddress = _front.BaseAddress };
        _api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _front.DisposeAsync();
    }

    [Fact]
    public async Task Api_refuses_callers_without_key_or_admin_token()
    {
        await DevTokenTests.AssertProblem(await _front.Http.PostAsJsonAsync("/api/broadcast", new { data = 1 }), HttpStatusCode.Unauthorized, "unauthorized");
        using var customer = new HttpRequestMessage(HttpMethod.Get, "/api/users/bob/presence");
        customer.Headers.Authorization = new("Bearer", _front.Token("bob"));
        await DevTokenTests.AssertProblem(await _front.Http.SendAsync(customer), HttpStatusCode.Forbidden, "forbidden");

        using var admin = new HttpRequestMessage(HttpMethod.Get, "/api/users/bob/presence");
        admin.Headers.Authorization = new("Bearer", _front.Token("root", UserIdentity.Admin));
        Assert.Equal(HttpStatusCode.OK, (await _front.Http.SendAsync(admin)).StatusCode);
    }

    [Fact]
    public async Task Api_answers_bad_bodies_with_problem_json()
    {
        await DevTokenTests.AssertProblem(await _api.PostAsJsonAsync("/api/users/bob/messages", new { from = "svc" }), HttpStatusCode.BadRequest, "bad_request");
        await DevTokenTests.AssertProblem(await _api.PostAsync("/api/rooms/r/messages", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "bad_request");
        await DevTokenTests.AssertProblem(await _api.GetAsync("/api/rooms/r/history?limit=0"), HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Api_refuses_data_larger_than_a_socket_frame_and_the_rooms_history_stays()
    {
        var room = "big-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, await _api.TryPostAsync(room, $"m{i}"));
        }

        // Larger than ROOM_HISTORY_MAX_BYTES: kept, it pushed every other message out of the room's history, and it
        // went to every socket in the room although no socket may send a frame above WS_MAX_MESSAGE_SIZE.
        var huge = new string('x', 9 * 1024 * 1024);
        using var response = await _api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { data = huge });
        await DevTokenTests.AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
        await DevTokenTests.AssertProblem(await _api.PostAsJsonAsync("/api/users/bob/messages", new { data = huge }), HttpStatusCode.RequestEntityTooLarge, "too_large");
        await DevTokenTests.AssertProblem(await _api.PostAsJsonAsync("/api/broadcast", new { data = huge }), HttpStatusCode.RequestEntityTooLarge, "too_large");

        var history = JsonDocument.Parse(await _api.GetStringAsync($"/api/rooms/{room}/history")).RootElement.GetProperty("messages");
        Assert.Equal(["m1", "m2", "m3"], history.EnumerateArray().Select(m => m.GetProperty("data").GetString()));
    }

    [Fact]
    public async Task Client_events_subscription_may_be_disposed_twice()
    {
        var client = new WeDrawOS.Client.WeDrawOSClient(_front.GetRequiredService<IClusterClient>());
        var subscription = await client.SubscribeAsync(_ => Task.CompletedTask);

        await subscription.DisposeAsync();

        // IAsyncDisposable's contract: a second DisposeAsync (an `await using` after an explicit dispose) does nothing.
        await subscription.DisposeAsync();
    }

    [Fact]
    public async Task Client_events_subscriptions_created_and_disposed_repeatedly_leave_none_behind()
    {
        var cluster = _front.GetRequiredService<IClusterClient>();
        var client = new WeDrawOS.Client.WeDrawOSClient(cluster);
        var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream);
        var before = (await stream.GetAllSubscriptionHandles()).Count;

        for (var i = 0; i < 50; i++)
        {
            await using var subscription = await client.SubscribeAsync(_ => Task.CompletedTask);
        }

        Assert.Equal(before, (await stream.GetAllSubscriptionHandles()).Count);
    }

    [Fact]
    public async Task Client_events_handler_that_throws_gets_the_same_event_again_before_later_ones()
    {
        // What docs/realtime.md says a subscriber gets: a handler that throws is retried with the same event, and the
        // events after it wait; so a handler catches what it does not want retried.
        var room = "retried-" + Guid.NewGuid().ToString("N")[..8];
        var client = new WeDrawOS.Client.WeDrawOSClient(_front.GetRequiredService<IClusterClient>());
        var seqs = new List<long>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.SubscribeAsync(e =>
        {
            if (e.Message?.Room != room)
            {
                return Task.CompletedTask;
            }

            lock (seqs)
            {
                seqs.Add(e.Message.Seq);
                if (e.Message.Seq == 2)
                {
                    second.TrySetResult();
                }

                return seqs.Count == 1 ? throw new InvalidOperationException("the handler failed once") : Task.CompletedTask;
            }
        });

        await client.PostToRoomAsync(room, "1");
        await client.PostToRoomAsync(room, "2");
        await second.Task.WaitAsync(WsClient.Timeout);

        lock (seqs)
        {
            Assert.Equal([1L, 1L, 2L], seqs);
        }
    }

    [Fact]
    public async Task Messages_sent_through_the_http_api_reach_sockets()
    {
        await using var bob = await _front.ConnectAsync("bob");
        await bob.JoinAsync("support");

        var direct = await _api.PostAsJsonAsync("/api/users/bob/messages", new { data = new { text = "order shipped" }, from = "orders" });
        Assert.True(direct.StatusCode == HttpStatusCode.Accepted, await direct.Content.ReadAsStringAsync());
        var directBody = JsonDocument.Parse(await direct.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, directBody.GetProperty("seq").GetInt64());
        Assert.True(directBody.GetProperty("online").GetBoolean());
        var dm = await bob.NextAsync("message", m => !m.TryGetProperty("room", out _));
        Assert.Equal("orders", dm.GetProperty("from").GetString());
        Assert.Equal("order shipped", dm.GetProperty("data").GetProperty("text").GetString());

        var room = await _api.PostAsJsonAsync("/api/rooms/support/messages", new { data = "welcome" });
        Assert.Equal(HttpStatusCode.Accepted, room.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await room.Content.ReadAsStringAsync()).RootElement.GetProperty("seq").GetInt64());
        var roomMessage = await bob.NextAsync("message", m => m.TryGetProperty("room", out _));
        Assert.Equal("system", roomMessage.GetProperty("from").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsJsonAsync("/api/broadcast", new { data = new { notice = "maintenance" } })).StatusCode);
        Assert.Equal("maintenance", (await bob.NextAsync("broadcast")).GetProperty("data").GetProperty("notice").GetString());

        var history = JsonDocument.Parse(await _api.GetStringAsync("/api/rooms/support/history?limit=10")).RootElement;
        Assert.Equal("welcome", history.GetProperty("messages")[0].GetProperty("data").GetString());
        var presence = JsonDocument.Parse(await _api.GetStringAsync("/api/rooms/support/presence")).RootElement;
        Assert.Equal("bob", presence.GetProperty("members")[0].GetProperty("userId").GetString());
        Assert.True(presence.GetProperty("members")[0].GetProperty("online").GetBoolean());
        var userPresence = JsonDocument.Parse(await _api.GetStringAsync("/api/users/bob/presence")).RootElement;
        Assert.True(userPresence.GetProperty("online").GetBoolean());
        Assert.Equal(1, userPresence.GetProperty("connections").GetInt32());

        var status = JsonDocument.Parse(await _front.Operator.GetStringAsync("/api/status")).RootElement;
        Assert.Equal(1, status.GetProperty("sockets").GetInt32());
        Assert.Equal(1, status.GetProperty("activeRooms").GetInt32());
        var ready = JsonDocument.Parse(await _front.Http.GetStringAsync("/health/ready")).RootElement;
        Assert.Equal("healthy", ready.GetProperty("services").GetProperty("websocket").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Orleans_client_sends_to_sockets_and_sees_the_events_stream()
    {
        var cluster = _front.GetRequiredService<IClusterClient>();
        var events = new List<RealtimeEvent>();
        var sawMessage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawConnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawDisconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = await cluster.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream).SubscribeAsync((e, _) =>
        {
            lock (events)
            {
                events.Add(e);
            }

            (e.Kind switch
            {
                RealtimeEventKinds.Message when e.Message?.Room == "ops" => sawMessage,
                RealtimeEventKinds.UserConnected when e.UserId == "dora" => sawConnected,
                RealtimeEventKinds.UserDisconnected when e.UserId == "dora" => sawDisconnected,
                _ => null,
            })?.TrySetResult();
            return Task.CompletedTask;
        });

        var dora = await _front.ConnectAsync("dora");
        await dora.JoinAsync("ops");
        await sawConnected.Task.WaitAsync(WsClient.Timeout);

        var roomResult = await cluster.GetGrain<IRoomGrain>("ops").Post(new OutgoingMessage("monitor", "alert-1", "{\"cpu\":99}", null), senderIsStaff: true);
        Assert.Equal(1, roomResult!.Seq);
        Assert.Equal(99, (await dora.NextAsync("message")).GetProperty("data").GetProperty("cpu").GetInt32());

        var direct = await cluster.GetGrain<IUserGrain>("dora").SendDirect(new OutgoingMessage("monitor", null, "\"ping\"", null));
        Assert.True(direct.Online);
        Assert.Equal("ping", (await dora.NextAsync("message")).GetProperty("data").GetString());

        await sawMessage.Task.WaitAsync(WsClient.Timeout);
        await dora.CloseAsync();
        await dora.DisposeAsync();
        await sawDisconnected.Task.WaitAsync(WsClient.Timeout);
        await subscription.UnsubscribeAsync();
    }

    [Fact]
    public async Task Events_stream_carries_every_stored_message_once_in_seq_order_per_room()
    {
        const int perRoom = 100;
        var cluster = _front.GetRequiredService<IClusterClient>();
        var rooms = Enumerable.Range(0, 3).Select(i => $"events-{i}-{Guid.NewGuid():N}").ToArray();
        var seen = rooms.ToDictionary(room => room, _ => new List<long>());
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var subscription = await cluster.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream).SubscribeAsync((e, _) =>
        {
            if (e is { Kind: RealtimeEventKinds.Message, Message: { } message } && seen.TryGetValue(message.Room!, out var seqs))
            {
                lock (seen)
                {
                    seqs.Add(message.Seq);
                    if (++received == rooms.Length * perRoom)
                    {
                        all.TrySetResult();
                    }
                }
            }

            return Task.CompletedTask;
        });

        // Every room's posts at once, so that the outbox gathers events of several rooms and groups into each publish.
        await Task.WhenAll(rooms.SelectMany(room => Enumerable.Range(1, perRoom).Select(i =>
            cluster.GetGrain<IRoomGrain>(room).Post(new OutgoingMessage("monitor", $"m{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), null), senderIsStaff: true))));

        await all.Task.WaitAsync(WsClient.Timeout);
        await subscription.UnsubscribeAsync();
        foreach (var room in rooms)
        {
            Assert.Equal(Enumerable.Range(1, perRoom).Select(i => (long)i), seen[room]);
        }
    }
}
