using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeDrawOS.Services.Bridge;

/// <summary>
/// A message published on a bridged Redis channel by a service outside the cluster:
/// <c>{ "type", "target": "broadcast" | "user" | "room", "userId"?, "roomId"?, "id"?, "content"?, "data"? }</c>.
/// Without <c>target</c> it is a broadcast, so the original <c>publish('notifications', { type, content })</c> keeps working.
/// Clients receive <see cref="Payload"/>: <c>{ "type", "content"?, "data"? }</c>.
/// </summary>
public sealed record BridgeMessage(BridgeTarget Target, string? UserId, string? RoomId, string? Id, string Payload)
{
    private const int MaxIdLength = 128;

    /// <summary>Reads a published payload, or says why it cannot be delivered (never quoting the payload).</summary>
    public static bool TryParse(string text, out BridgeMessage? message, out string? problem)
    {
        message = null;
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            problem = "not a JSON object";
            return false;
        }

        var target = Text(json, "target") switch
        {
            null or "broadcast" => BridgeTarget.Broadcast,
            "user" => BridgeTarget.User,
            "room" => BridgeTarget.Room,
            _ => (BridgeTarget?)null,
        };
        if (target is null)
        {
            problem = "target must be broadcast, user or room";
            return false;
        }

        var userId = Text(json, "userId");
        var roomId = Text(json, "roomId");
        problem = target switch
        {
            BridgeTarget.User when !IsId(userId) => "a user message needs userId (1 to 128 characters)",
            BridgeTarget.Room when !IsId(roomId) => "a room message needs roomId (1 to 128 characters)",
            _ => null,
        };
        var id = Text(json, "id");
        if (problem is null && id is { Length: 0 or > MaxIdLength })
        {
            problem = "id must be 1 to 128 characters";
        }

        if (problem is not null)
        {
            return false;
        }

        var payload = new JsonObject();
        foreach (var field in new[] { "type", "content", "data" })
        {
            if (json[field] is { } value)
            {
                payload[field] = value.DeepClone();
            }
        }

        message = new BridgeMessage(target.Value, userId, roomId, id, payload.ToJsonString());
        return true;
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool IsId(string? id) => id is { Length: > 0 and <= MaxIdLength } && !id.Any(char.IsControl);
}

/// <summary>Who a bridged message goes to.</summary>
public enum BridgeTarget
{
    Broadcast,
    User,
    Room,
}
