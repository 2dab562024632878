using System.Buffers;
using System.Globalization;
using System.Text.Json;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// Builds the server's JSON frames as UTF-8 bytes. A message is serialized once and the same buffer is queued on
/// every local socket it goes to. <c>data</c> is written back verbatim as the client sent it.
/// </summary>
internal static class ServerFrames
{
    public static byte[] Welcome(string connectionId, string userId, int pingInterval, long inboxSeq) => Write(w =>
    {
        w.WriteString("type", "welcome");
        w.WriteString("connectionId", connectionId);
        w.WriteString("userId", userId);
        w.WriteNumber("pingInterval", pingInterval);
        w.WriteNumber("inboxSeq", inboxSeq);
    });

    public static byte[] Message(ChatMessage message) => Write(w =>
    {
        w.WriteString("type", "message");
        WriteMessageFields(w, message);
    });

    public static byte[] Joined(string room, JoinResult result, bool withMessages) => Write(w =>
    {
        w.WriteString("type", "joined");
        w.WriteString("room", room);
        w.WriteNumber("seq", result.Seq);
        w.WriteBoolean("recovered", result.Recovered);
        if (withMessages)
        {
            WriteMessages(w, result.Messages, result.More);
        }

        WriteMembers(w, result.Members);
    });

    public static byte[] Left(string room) => Write(w =>
    {
        w.WriteString("type", "left");
        w.WriteString("room", room);
    });

    public static byte[] Ack(string id, long seq, bool duplicate) => Write(w =>
    {
        w.WriteString("type", "ack");
        w.WriteString("id", id);
        w.WriteNumber("seq", seq);
        w.WriteBoolean("duplicate", duplicate);
    });

    public static byte[] Event(string kind, string? room, string userId) => Write(w =>
    {
        w.WriteString("type", "event");
        w.WriteString("event", kind);
        if (room is not null)
        {
            w.WriteString("room", room);
        }

        w.WriteString("userId", userId);
    });

    public static byte[] Broadcast(BroadcastMessage message) => Write(w =>
    {
        w.WriteString("type", "broadcast");
        w.WritePropertyName("data");
        w.WriteRawValue(message.Data, skipInputValidation: true);
        w.WriteString("ts", Timestamp(message.Ts));
    });

    public static byte[] History(string room, MessagePage page) => Write(w =>
    {
        w.WriteString("type", "history");
        w.WriteString("room", room);
        WriteMessages(w, page.Messages, page.More);
    });

    public static byte[] Presence(string room, IReadOnlyList<MemberPresence> members) => Write(w =>
    {
        w.WriteString("type", "presence");
        w.WriteString("room", room);
        WriteMembers(w, members);
    });

    public static byte[] Inbox(MessagePage page) => Write(w =>
    {
        w.WriteString("type", "inbox");
        WriteMessages(w, page.Messages, page.More);
    });

    public static byte[] Refreshed(DateTimeOffset exp) => Write(w =>
    {
        w.WriteString("type", "refreshed");
        w.WriteNumber("exp", exp.ToUnixTimeSeconds());
    });

    public static byte[] Pong() => Write(w => w.WriteString("type", "pong"));

    public static byte[] Error(string code, string message, string? id) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        if (id is not null)
        {
            w.WriteString("id", id);
        }
    });

    /// <summary>The <c>messages</c> array, and <c>more: true</c> when the answer was cut (absent otherwise, as before it existed).</summary>
    private static void WriteMessages(Utf8JsonWriter w, IReadOnlyList<ChatMessage> messages, bool more)
    {
        w.WriteStartArray("messages");
        foreach (var message in messages)
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            WriteMessageFields(w, message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (more)
        {
            w.WriteBoolean("more", true);
        }
    }

    private static void WriteMembers(Utf8JsonWriter w, IReadOnlyList<MemberPresence> members)
    {
        w.WriteStartArray("members");
        foreach (var member in members)
        {
            w.WriteStartObject();
            w.WriteString("userId", member.UserId);
            w.WriteBoolean("online", member.Online);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteMessageFields(Utf8JsonWriter w, ChatMessage message)
    {
        if (message.Room is not null)
        {
            w.WriteString("room", message.Room);
        }

        w.WriteNumber("seq", message.Seq);
        w.WriteString("from", message.From);
        if (message.To is not null)
        {
            w.WriteString("to", message.To);
        }

        if (message.ClientId is not null)
        {
            w.WriteString("id", message.ClientId);
        }

        w.WritePropertyName("data");
        w.WriteRawValue(message.Data, skipInputValidation: true);
        w.WriteString("ts", Timestamp(message.Ts));
    }

    private static string Timestamp(DateTimeOffset ts) => ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
