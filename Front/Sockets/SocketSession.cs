using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using WeDrawOS.Front.Auth;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Services.Telemetry;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The receive side of one socket: reads frames (at most <c>WS_MAX_MESSAGE_SIZE</c> bytes), applies the rate limit
/// and answers each frame in order. A bad frame gets an <c>error</c> frame and the socket stays open.
/// </summary>
internal sealed partial class SocketSession(
    SocketConnection connection,
    WebSocket socket,
    FrontNode front,
    ConnectionRegistry registry,
    TokenService tokens,
    TokenExpiryWheel expiry,
    UserJoinRates joinRates,
    SocketOptions options,
    RealtimeMetrics metrics,
    ILogger logger)
{
    private const int HistoryDefault = 50;
    private const int HistoryMax = 200;
    private const int InboxMax = 1000;
    private const int MaxJoinAttempts = 3;

    // Frames refused in a row (rate limit) before the socket is closed with 1008 as abusive.
    private readonly int _abuseLimit = Math.Max(options.RateBurst, 100);
    private readonly RateLimiter _limiter = new(options.RateBurst, options.RatePerSecond);
    private readonly PooledFrameBuffer _frame = new();
    private readonly RecentTargets _recent = new();
    private PostPipeline? _posts;
    private int _refusedInARow;

    private PostPipeline Posts => _posts ??= new PostPipeline(PostBatchAsync);

    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReceiveFramesAsync(cancellationToken);
        }
        finally
        {
            // Posts already read are answered (or fail) before the socket's rooms are left.
            await DrainPostsAsync();
        }
    }

    private async Task ReceiveFramesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Wait for the next frame with an empty buffer (pings and pongs are handled inside the WebSocket), so an
            // idle socket holds no receive buffer: at 10,000 sockets a 4 KB buffer each is 40 MB.
            var result = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
            try
            {
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close)
                {
                    // Room for one byte more than the limit, so that a frame over it is noticed.
                    result = await socket.ReceiveAsync(_frame.GetMemory(options.MaxMessageSize + 1), cancellationToken);
                    _frame.Advance(result.Count);
                    if (_frame.Length > options.MaxMessageSize)
                    {
                        connection.Close(CloseCodes.TooLarge, "frame larger than WS_MAX_MESSAGE_SIZE", flush: false);
                        return;
                    }
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    connection.Close(WebSocketCloseStatus.NormalClosure, "bye", flush: false);
                    return;
                }

                if (!await HandleFrameAsync(result.MessageType, _frame.Written))
                {
                    return;
                }
            }
            finally
            {
                _frame.Release();
            }
        }
    }

    /// <summary>Applies the rate limit and answers one complete frame; false when the socket is being closed for abuse.</summary>
    private async Task<bool> HandleFrameAsync(WebSocketMessageType type, ReadOnlyMemory<byte> frame)
    {
        metrics.FrameReceived();
        if (!_limiter.TryTake())
        {
            if (++_refusedInARow > _abuseLimit)
            {
                connection.Close(CloseCodes.PolicyViolation, "rate limit ignored", flush: true);
                return false;
            }

            await SendErrorInOrderAsync("rate_limited", "too many frames; slow down / 发送过于频繁，请稍后再试", ClientIdOf(frame));
            return true;
        }

        _refusedInARow = 0;
        if (type == WebSocketMessageType.Binary)
        {
            await SendErrorInOrderAsync("bad_request", "binary frames are not supported; send JSON text / 不支持二进制帧，请发送 JSON 文本", null);
        }
        else
        {
            await HandleAsync(frame);
        }

        return true;
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            await SendErrorInOrderAsync("bad_request", "the frame is not valid JSON / 帧不是有效的 JSON", null);
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                await SendErrorInOrderAsync("bad_request", "a frame must be a JSON object / 帧必须是 JSON 对象", null);
                return;
            }

            var request = new ClientFrame(document.RootElement);
            try
            {
                var type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? ClientFrame.TextOf(t) : null;
                using var activity = WeDrawOSTracing.Source.StartActivity(SpanName(type), ActivityKind.Server);
                if (type != "send")
                {
                    // Answered in frame order: after the room posts read before this frame.
                    await DrainPostsAsync();
                }

                await (type switch
                {
                    "join" => JoinAsync(request),
                    "leave" => LeaveAsync(request),
                    "send" => SendAsync(request),
                    "history" => HistoryAsync(request),
                    "presence" => PresenceAsync(request),
                    "inbox" => InboxAsync(request),
                    "refresh" => RefreshAsync(request),
                    "typing" => TypingAsync(request),
                    "read" => ReadAsync(request),
                    "rooms" => RoomsAsync(),
                    "ping" => Reply(ServerFrames.Pong()),
                    null => throw new FrameException("unknown_type", "`type` is missing / 缺少 `type`"),
                    _ => throw new FrameException("unknown_type", "unknown `type` / 未知的 `type`"),
                });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await DrainPostsAsync();
                Fail(e, [request.Id]);
            }
        }
    }

    private async Task JoinAsync(ClientFrame request)
    {
        var room = request.RequiredId("room");
        var since = request.OptionalNumber("since", 0, long.MaxValue);
        if (!registry.MayJoin(connection, room, options.MaxRoomsPerConnection))
        {
            throw new FrameException("too_many_rooms", $"此连接已加入 {options.MaxRoomsPerConnection} 个房间，请先离开一些 / this connection is in {options.MaxRoomsPerConnection} rooms already; leave some first");
        }

        if (!joinRates.TryTake(connection.UserId))
        {
            throw new FrameException("rate_limited", "加入房间过于频繁，请稍后再试 / too many joins; slow down");
        }

        // A socket in the room already joins again to recover (after a resync): if that fails it stays in the room, as
        // its client was not told otherwise (no `left`). A socket this join put in the room is taken out again.
        var joinedBefore = registry.IsInRoom(connection, room);
        try
        {
            if (registry.BeginJoin(connection, room))
            {
                await front.SubscribeAsync(room);
            }
        }
        catch
        {
            await LeaveLocallyAsync(room);
            throw;
        }

        var identity = connection.Identity;
        for (var attempt = 1; ; attempt++)
        {
            Grains.Interfaces.Rooms.JoinResult result;
            try
            {
                var replay = since is { } after ? PageRequest.After(after, int.MaxValue, options.AnswerMaxBytes) : null;
                result = await front.Room(room).Join(identity.UserId, identity.IsStaff, replay);
            }
            catch
            {
                if (!joinedBefore)
                {
                    await LeaveLocallyAsync(room);
                }

                throw;
            }

            if (!result.Allowed)
            {
                await LeaveLocallyAsync(room);
                throw new FrameException("forbidden", "this room admits only its members / 该房间仅对成员开放");
            }

            // Refused only when another socket's later join answered first and started the room here after this
            // answer's seq (rare): asking again gets a seq the room's feed can serve from.
            if (registry.CompleteJoin(connection, room, ServerFrames.Joined(room, result, since is not null), result.Seq))
            {
                return;
            }

            if (attempt == MaxJoinAttempts)
            {
                await LeaveLocallyAsync(room);
                throw new FrameException("unavailable", "the room could not be joined; try again / 暂时无法加入房间，请重试");
            }
        }
    }

    private async Task LeaveAsync(ClientFrame request)
    {
        var room = request.RequiredId("room");
        await LeaveLocallyAsync(room);
        await front.Room(room).Leave(connection.UserId);
        connection.Send(ServerFrames.Left(room));
    }

    private async Task SendAsync(ClientFrame request)
    {
        var id = request.RequiredId("id");
        var data = request.RequiredJson("data");
        var room = request.OptionalId("room");
        var to = request.OptionalId("to");
        if ((room is null) == (to is null))
        {
            throw new FrameException("bad_request", "give exactly one of `room` or `to` / `room` 与 `to` 必须且只能有一个");
        }

        var target = room is not null ? SendTarget.Room(room) : SendTarget.User(to!);
        TakeNewTarget(target);

        // A room message names this front: the answer brings it back for this front's other sockets (see PostRoomAsync).
        var message = new OutgoingMessage(connection.UserId, id, data, connection.Id, room is null ? null : front.FrontId);
        await Posts.AddAsync(target, new PendingPost(id, message, data.Length, Activity.Current?.Context ?? default));
    }

    /// <summary>Sends one batch of this socket's sends (<see cref="PostPipeline"/>) and answers each of its frames in order.</summary>
    private async Task PostBatchAsync(PostBatch batch)
    {
        // A call's span of its own, linked to the spans of the frames it carries: they were read (and their spans
        // ended) while earlier sends were in flight, and one call may carry frames of several traces.
        Activity.Current = null;
        using var activity = WeDrawOSTracing.Source.HasListeners()
            ? WeDrawOSTracing.Source.StartActivity("ws post", ActivityKind.Server, parentContext: default, links: SpanLinks(batch))
            : null;
        activity?.SetTag(batch.Target.IsRoom ? "wedrawos.room" : "wedrawos.to", batch.Target.Id);
        activity?.SetTag("wedrawos.posts", batch.Count);
        try
        {
            if (batch.Target.IsRoom)
            {
                metrics.RoomPostCall(batch.Count);
                await PostRoomAsync(batch);
            }
            else
            {
                await SendDirectAsync(batch);
            }
        }
        catch (Exception e)
        {
            Fail(e, [.. batch.Posts.Select(p => p.Id)]);
        }
    }

    private static List<ActivityLink> SpanLinks(PostBatch batch) =>
        [.. batch.Posts.Where(p => p.Span != default).Select(p => new ActivityLink(p.Span))];

    private async Task PostRoomAsync(PostBatch batch)
    {
        var room = batch.Target.Id;
        var results = await front.Room(room).PostMany([.. batch.Posts.Select(p => p.Message)], connection.Identity.IsStaff)
            ?? throw new FrameException("forbidden", "this room admits only its members / 该房间仅对成员开放");

        // A post whose write came only from this front is not pushed here: its answer brings it for the other
        // sockets. The others' acks show the room's feed here how far the room is: if its copy is behind, a push is
        // late or lost.
        List<PushedMessage>? carried = null;
        var reached = 0L;
        foreach (var result in results)
        {
            if (result.Message is { } stored)
            {
                (carried ??= []).Add(new PushedMessage(stored, connection.Id));
            }
            else
            {
                reached = Math.Max(reached, result.Seq);
            }
        }

        if (carried is not null)
        {
            registry.DeliverRoom(carried);
        }

        if (reached > 0)
        {
            registry.RoomReached(room, reached);
        }

        for (var index = 0; index < results.Count; index++)
        {
            Ack(batch.Posts[index], results[index]);
        }
    }

    private async Task SendDirectAsync(PostBatch batch)
    {
        var results = await front.User(batch.Target.Id).SendDirectMany([.. batch.Posts.Select(p => p.Message)]);
        for (var index = 0; index < results.Count; index++)
        {
            if (results[index].InboxFull)
            {
                SendError("inbox_full", "对方收件箱中来自你的消息已达上限，请稍后再发 / the recipient's inbox holds as much from you as it takes; try again later", batch.Posts[index].Id);
            }
            else
            {
                Ack(batch.Posts[index], results[index]);
            }
        }
    }

    private void Ack(PendingPost post, SendResult result) => connection.Send(ServerFrames.Ack(post.Id, result.Seq, result.Duplicate));

    private Task DrainPostsAsync() => _posts?.DrainAsync() ?? Task.CompletedTask;

    /// <summary>An error for a frame the receive loop refuses itself: sent after the answers of the sends read before it.</summary>
    private async Task SendErrorInOrderAsync(string code, string message, string? id)
    {
        await DrainPostsAsync();
        SendError(code, message, id);
    }

    private async Task HistoryAsync(ClientFrame request)
    {
        var room = request.RequiredId("room");
        var before = request.OptionalNumber("before", 1, long.MaxValue);
        var after = request.OptionalNumber("after", 0, long.MaxValue);
        var limit = Math.Min((int)(request.OptionalNumber("limit", 1, int.MaxValue) ?? HistoryDefault), HistoryMax);
        if (before is not null && after is not null)
        {
            throw new FrameException("bad_request", "`before` 与 `after` 只能给一个 / give at most one of `before` or `after`");
        }

        TakeNewTarget(SendTarget.Room(room));
        await EnsureAdmittedAsync(room);
        var page = after is { } seq ? PageRequest.After(seq, limit, options.AnswerMaxBytes) : PageRequest.Before(before, limit, options.AnswerMaxBytes);
        connection.Send(ServerFrames.History(room, await front.Room(room).History(page)));
    }

    private async Task PresenceAsync(ClientFrame request)
    {
        var room = request.RequiredId("room");
        TakeNewTarget(SendTarget.Room(room));
        await EnsureAdmittedAsync(room);
        connection.Send(ServerFrames.Presence(room, await front.Room(room).Presence()));
    }

    private async Task InboxAsync(ClientFrame request)
    {
        var since = request.OptionalNumber("since", 0, long.MaxValue) ?? 0;
        var limit = (int)(request.OptionalNumber("limit", 1, int.MaxValue) ?? InboxMax);
        var page = PageRequest.After(since, Math.Min(limit, InboxMax), options.AnswerMaxBytes);
        connection.Send(ServerFrames.Inbox(await front.User(connection.UserId).Inbox(page)));
    }

    private Task TypingAsync(ClientFrame request)
    {
        var room = request.RequiredId("room");
        EnsureJoined(room);

        // One-way: typing is never answered, and the room throttles it.
        return front.Room(room).Typing(connection.UserId);
    }

    private async Task ReadAsync(ClientFrame request)
    {
        var room = request.RequiredId("room");
        var seq = request.OptionalNumber("seq", 0, long.MaxValue) ?? throw new FrameException("bad_request", "`seq` is required / 缺少 `seq`");
        TakeNewTarget(SendTarget.Room(room));
        var cursor = await front.Room(room).MarkRead(connection.UserId, seq, connection.Id)
            ?? throw new FrameException("not_joined", "join the room first / 请先加入该房间");
        connection.Send(ServerFrames.Receipt(room, connection.UserId, cursor, request.Id));
    }

    /// <summary>
    /// The user's conversations. One list asks up to 1,000 room grains, so each takes one of the user's joins
    /// (<c>WS_JOIN_RATE_PER_MINUTE</c>): nine sockets asking in a loop made a front serve about 100,000 grain calls a second.
    /// </summary>
    private async Task RoomsAsync()
    {
        if (!joinRates.TryTake(connection.UserId))
        {
            throw new FrameException("rate_limited", "获取会话列表过于频繁，请稍后再试 / too many conversation lists; slow down");
        }

        connection.Send(ServerFrames.Rooms(await front.RoomList.List(connection.UserId)));
    }

    /// <summary>
    /// Takes one of the user's joins (<c>WS_JOIN_RATE_PER_MINUTE</c>) for a room this socket is not in, or a user,
    /// that it has not named lately (<see cref="RecentTargets"/>): each new name may bring a grain to life (a
    /// <c>send</c> also stores its room or inbox), and without this one token could wake hundreds a second with
    /// made-up ids, which stay in memory until they idle out.
    /// </summary>
    private void TakeNewTarget(SendTarget target)
    {
        if ((target.IsRoom && registry.IsInRoom(connection, target.Id)) || _recent.Contains(target))
        {
            return;
        }

        if (!joinRates.TryTake(connection.UserId))
        {
            throw new FrameException("rate_limited", "新的房间或用户过多，请稍后再试 / too many rooms or users named for the first time; slow down");
        }

        _recent.Add(target);
    }

    private void EnsureJoined(string room)
    {
        if (!registry.IsInRoom(connection, room))
        {
            throw new FrameException("not_joined", "join the room first / 请先加入该房间");
        }
    }

    private async Task RefreshAsync(ClientFrame request)
    {
        if (!request.Has("token"))
        {
            throw new FrameException("bad_request", "`token` is required / 缺少 `token`");
        }

        var (identity, error) = await tokens.ValidateAsync(request.RequiredJsonString("token"));
        if (identity is null)
        {
            throw new FrameException("unauthorized", error + " / 令牌无效");
        }

        if (identity.UserId != connection.UserId)
        {
            throw new FrameException("forbidden", "the new token names another user / 新令牌属于其他用户");
        }

        connection.Identity = identity;
        expiry.Watch(connection);
        connection.Send(ServerFrames.Refreshed(identity.ExpiresAt));
    }

    private async Task EnsureAdmittedAsync(string room)
    {
        if (!await front.Room(room).Admits(connection.UserId, connection.Identity.IsStaff))
        {
            throw new FrameException("forbidden", "this room admits only its members / 该房间仅对成员开放");
        }
    }

    private async Task LeaveLocallyAsync(string room)
    {
        if (registry.Leave(connection, room))
        {
            await front.UnsubscribeAsync(room);
        }
    }

    /// <summary>
    /// Answers each frame with the error the exception stands for: a <see cref="FrameException"/>'s own text (written for
    /// the client), else a fixed text per code, never the exception's (it may hold internals).
    /// </summary>
    private void Fail(Exception failure, IReadOnlyList<string?> ids)
    {
        var (code, message) = failure switch
        {
            FrameException e => (e.Code, e.Message),
            BusyException => ("busy", "房间或收件箱待写入的消息过多，请稍后用相同 id 重试 / too many messages are waiting to be stored; retry with the same id"),
            _ when ClusterFailures.IsUnavailable(failure) => ("unavailable", "the cluster is not reachable; try again / 集群暂不可用，请重试"),
            _ => ("internal", "the server could not handle the frame / 服务器无法处理该帧"),
        };

        if (code == "unavailable")
        {
            LogClusterUnavailable(logger, failure);
        }
        else if (code == "internal")
        {
            LogFrameFailed(logger, failure);
        }

        foreach (var id in ids)
        {
            SendError(code, message, id);
        }
    }

    private void SendError(string code, string message, string? id)
    {
        metrics.ErrorSent(code);
        Activity.Current?.SetStatus(ActivityStatusCode.Error, code);
        connection.Send(ServerFrames.Error(code, message, id));
    }

    private Task Reply(byte[] frame)
    {
        connection.Send(frame);
        return Task.CompletedTask;
    }

    /// <summary>One span name per known frame type (a client's made-up types must not make new names).</summary>
    private static string SpanName(string? type) => type switch
    {
        "join" => "ws join",
        "leave" => "ws leave",
        "send" => "ws send",
        "history" => "ws history",
        "presence" => "ws presence",
        "inbox" => "ws inbox",
        "refresh" => "ws refresh",
        "ping" => "ws ping",
        _ => "ws frame",
    };

    /// <summary>The <c>id</c> of a frame that is refused unread, so the client knows which send to retry.</summary>
    private static string? ClientIdOf(ReadOnlyMemory<byte> frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement.ValueKind == JsonValueKind.Object ? new ClientFrame(document.RootElement).Id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A socket frame could not reach the cluster")]
    private static partial void LogClusterUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A socket frame failed")]
    private static partial void LogFrameFailed(ILogger logger, Exception exception);
}
