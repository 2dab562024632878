using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using WeDrawOS.Benchmarks.Cluster;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Tests.Benchmarks;

/// <summary>
/// The cluster benchmark counts acks, busies and deliveries by reading a few fields from raw frames: these tests feed
/// it the frames the servers really write (this system's <c>ServerFrames</c>, SignalR's JSON hub protocol), so that a
/// change of either format cannot silently turn every message into a loss or hide one.
/// </summary>
public sealed class LoadFrameTests
{
    private static readonly MessageId Id = new(3, 17);

    [Fact]
    public void This_systems_ack_busy_and_error_frames_name_their_message()
    {
        var protocol = new WeDrawOSProtocol();

        Assert.Equal(new SendReply(SendReplyKind.Ack, Id), protocol.ReadReply(ServerFrames.Ack(Id.ToString(), 42, duplicate: false)));
        Assert.Equal(new SendReply(SendReplyKind.Ack, Id), protocol.ReadReply(ServerFrames.Ack(Id.ToString(), 42, duplicate: true)));
        Assert.Equal(new SendReply(SendReplyKind.Busy, Id, "busy"), protocol.ReadReply(ServerFrames.Error("busy", "房间繁忙 / room busy", Id.ToString())));
        Assert.Equal(new SendReply(SendReplyKind.Failed, Id, "unavailable"), protocol.ReadReply(ServerFrames.Error("unavailable", "集群不可用 / unavailable", Id.ToString())));
        Assert.Equal(new SendReply(SendReplyKind.Failed, null, "bad_request"), protocol.ReadReply(ServerFrames.Error("bad_request", "坏帧 / bad frame", null)));
        Assert.Equal(default, protocol.ReadReply(ServerFrames.Pong()));
    }

    [Fact]
    public void This_systems_delivered_message_carries_the_load_id_and_is_no_reply()
    {
        var protocol = new WeDrawOSProtocol();
        var frame = ServerFrames.Message(new ChatMessage("room-7", 9, "room-7-m1", Id.ToString(), LoadPayload.Message(Id), DateTimeOffset.UtcNow, null));

        AssertCarries(frame, Id);
        Assert.Equal(default, protocol.ReadReply(frame));
    }

    [Fact]
    public void This_systems_send_frame_is_valid_json_with_the_payload_as_data()
    {
        using var send = JsonDocument.Parse(new WeDrawOSProtocol().Send("room-7", Id));

        Assert.Equal("send", send.RootElement.GetProperty("type").GetString());
        Assert.Equal("3.17", send.RootElement.GetProperty("id").GetString());
        Assert.Equal(17, send.RootElement.GetProperty("data").GetProperty("bn").GetInt32());
    }

    [Fact]
    public void SignalR_completions_name_their_invocation()
    {
        var protocol = new SignalRProtocol();

        Assert.Equal(new SendReply(SendReplyKind.Ack, Id), protocol.ReadReply(Record(CompletionMessage.Empty(Id.ToString()))));
        Assert.Equal(SendReplyKind.Failed, protocol.ReadReply(Record(CompletionMessage.WithError(Id.ToString(), "boom"))).Kind);
        Assert.Equal(Id, protocol.ReadReply(Record(CompletionMessage.WithError(Id.ToString(), "boom"))).Id);
        Assert.Equal(default, protocol.ReadReply(Record(PingMessage.Instance)));
        Assert.Equal(true, protocol.JoinAnswer(Record(CompletionMessage.Empty("join"))));
        Assert.Equal(false, protocol.JoinAnswer(Record(CompletionMessage.WithError("join", "no"))));
    }

    [Fact]
    public void SignalR_delivered_message_carries_the_load_id_and_is_no_reply()
    {
        using var payload = JsonDocument.Parse(LoadPayload.Message(Id));
        var frame = Record(new InvocationMessage("message", ["room-7", payload.RootElement]));

        AssertCarries(frame, Id);
        Assert.Equal(default, new SignalRProtocol().ReadReply(frame));
    }

    [Fact]
    public void SignalR_handshake_answer_opens_the_connection()
    {
        var writer = new ArrayBufferWriter<byte>();
        HandshakeProtocol.WriteResponseMessage(HandshakeResponseMessage.Empty, writer);

        Assert.Equal(true, new SignalRProtocol().OpenAnswer(writer.WrittenSpan[..^1]));
        Assert.Equal(FrameFields.RecordSeparator, writer.WrittenSpan[^1]);
    }

    [Fact]
    public void SignalR_send_frame_is_one_invocation_the_hub_protocol_reads()
    {
        var frame = new SignalRProtocol().Send("room-7", Id);
        var sequence = new ReadOnlySequence<byte>(frame);
        var binder = new SendBinder();

        Assert.True(new JsonHubProtocol().TryParseMessage(ref sequence, binder, out var message));
        var invocation = Assert.IsType<InvocationMessage>(message);
        Assert.Equal(("Send", "3.17", "room-7"), (invocation.Target, invocation.InvocationId, (string)invocation.Arguments[0]!));
        Assert.True(sequence.IsEmpty);
    }

    private static void AssertCarries(ReadOnlySpan<byte> record, MessageId id)
    {
        Assert.True(FrameFields.TryGetNumber(record, LoadPayload.StepKey, out var step));
        Assert.True(FrameFields.TryGetNumber(record, LoadPayload.NumberKey, out var number));
        Assert.Equal(id, new MessageId((int)step, (int)number));
    }

    /// <summary>One hub message as the server writes it, without its record separator (the load socket splits on it).</summary>
    private static byte[] Record(HubMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        new JsonHubProtocol().WriteMessage(message, writer);
        Assert.Equal(FrameFields.RecordSeparator, writer.WrittenSpan[^1]);
        return writer.WrittenSpan[..^1].ToArray();
    }

    /// <summary>What the baseline's hub declares: <c>Send(string room, JsonElement data)</c>.</summary>
    private sealed class SendBinder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(string), typeof(JsonElement)];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
