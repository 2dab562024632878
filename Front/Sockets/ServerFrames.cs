using System.Buffers;
using System.Globalization;
using System.Text.Json;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Builds the server's JSON frames as UTF-8 bytes. A message is serialized once and the same buffer is queued on
/// every local socket it goes to. <c>data</c> is written back verbatim as the client sent it.
/// </summary>
internal static class ServerFrames
{
    /// <summary>
    /// The longest <c>data</c> (JSON text, in characters) of a last message that a <c>rooms</c> answer carries: 1,000
    /// rooms then carry about as much <c>data</c> as one <c>WS_ANSWER_MAX_BYTES</c> (1 MiB) answer.
    /// </summary>
    public const int RoomsPreviewMaxChars = 1024;

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
        w.WriteNumber("unread", result.Unread);
        WriteReaders(w, result.Readers ?? []);
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

    /// <summary>Messages of the room could not be delivered (gone from its history, or the room did not answer): recover with <c>join</c> and <c>since</c>.</summary>
    public static byte[] RoomResync(string room) => Write(w =>
    {
        w.WriteString("type", "resync");
        w.WriteString("room", room);
        w.WriteBoolean("recovered", false);
    });

    /// <summary>Direct messages could not be delivered: recover with <c>inbox</c> and <c>since</c>.</summary>
    public static byte[] InboxResync() => Write(w =>
    {
        w.WriteString("type", "resync");
        w.WriteBoolean("inbox", true);
        w.WriteBoolean("recovered", false);
    });

    public static byte[] Typing(string room, string userId) => Write(w =>
    {
        w.WriteString("type", "typing");
        w.WriteString("room", room);
        w.WriteString("userId", userId);
    });

    /// <summary>A member's read cursor; <paramref name="id"/> is the <c>read</c> frame's id when this answers it.</summary>
    public static byte[] Receipt(string room, string userId, long seq, string? id) => Write(w =>
    {
        w.WriteString("type", "receipt");
        w.WriteString("room", room);
        w.WriteString("userId", userId);
        w.WriteNumber("seq", seq);
        if (id is not null)
        {
            w.WriteString("id", id);
        }
    });

    /// <summary>
    /// A user's conversations. A last message whose <c>data</c> is longer than <see cref="RoomsPreviewMaxChars"/> goes
    /// without it (<c>"truncated": true</c>), so that a user in 1,000 rooms gets a bounded answer.
    /// </summary>
    public static byte[] Rooms(IReadOnlyList<RoomSummary> rooms) => Write(w =>
    {
        w.WriteString("type", "rooms");
        w.WriteStartArray("rooms");
        foreach (var room in rooms)
        {
            w.WriteStartObject();
            w.WriteString("room", room.Room);
            w.WriteNumber("seq", room.Seq);
            w.WriteNumber("unread", room.Unread);
            w.WriteNumber("read", room.ReadSeq);
            if (room.LastMessage is { } last)
            {
                w.WriteStartObject("lastMessage");
                w.WriteString("type", "message");
                if (last.Data.Length <= RoomsPreviewMaxChars)
                {
                    WriteMessageFields(w, last);
                }
                else
                {
                    WriteMessageFields(w, last with { Data = "null" });
                    w.WriteBoolean("truncated", true);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
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

    private static void WriteReaders(Utf8JsonWriter w, IReadOnlyList<ReadCursor> readers)
    {
        w.WriteStartArray("readers");
        foreach (var reader in readers)
        {
            w.WriteStartObject();
            w.WriteString("userId", reader.UserId);
            w.WriteNumber("seq", reader.Seq);
            w.WriteEndObject();
        }

        w.WriteEndArray();
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
