using System.Globalization;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Operations;

/// <summary>
/// deploy/nginx's configuration in front of two fronts of a Redis cluster: clients chat through it across fronts; one
/// front stops and its clients reconnect through nginx to the other and recover what was said meanwhile by seq.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class NginxFailoverTests(SharedRedis redis, ITestOutputHelper output)
{
    private const string Room = "lobby";
    private const int Clients = 6;
    private const int PerPhase = 5;

    [Fact]
    public async Task Clients_behind_nginx_chat_across_fronts_and_recover_their_messages_when_a_front_stops()
    {
        var clusterId = "ops-nginx-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        Dictionary<string, string> FrontSettings()
        {
            var settings = TestHost.ClusterSettings(redis, clusterId);
            settings["JWT_SECRET"] = "nginx-tests-secret-0123456789abcdefghij";
            return settings;
        }

        await using var doomed = await TestHost.StartFrontAsync(FrontSettings());
        await using var survivor = await TestHost.StartFrontAsync(FrontSettings());
        await using var nginx = await NginxServer.StartAsync(doomed.BaseAddress, survivor.BaseAddress);

        var users = Enumerable.Range(1, Clients).Select(n => "user" + n.ToString(CultureInfo.InvariantCulture)).ToArray();
        var seen = users.ToDictionary(u => u, _ => new SortedSet<long>());
        var sockets = new Dictionary<string, WsClient>();
        try
        {
            foreach (var user in users)
            {
                sockets[user] = await ConnectThroughNginxAsync(nginx, survivor, user, seen[user], since: null);
            }

            // Round robin without affinity puts clients on both fronts.
            var onDoomed = doomed.GetRequiredService<ConnectionRegistry>().Users().Select(u => u.UserId).ToHashSet();
            Assert.InRange(onDoomed.Count, 1, Clients - 1);

            var sent = 0;
            async Task SendAsync(string user)
            {
                var id = $"{user}-{sent++}";
                await sockets[user].SendAsync(new { type = "send", id, room = Room, data = id });
                var ack = await sockets[user].NextAsync("ack", a => a.GetProperty("id").GetString() == id);
                seen[user].Add(ack.GetProperty("seq").GetInt64());
            }

            foreach (var user in users)
            {
                for (var n = 0; n < PerPhase; n++)
                {
                    await SendAsync(user);
                }
            }

            await doomed.StopAsync();
            foreach (var user in onDoomed)
            {
                Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, await sockets[user].Closed.WaitAsync(WsClient.Timeout));
            }

            // While the cut-off clients are away, the others go on talking.
            foreach (var user in users.Where(u => !onDoomed.Contains(u)))
            {
                for (var n = 0; n < PerPhase; n++)
                {
                    await SendAsync(user);
                }
            }

            foreach (var user in onDoomed)
            {
                Collect(sockets[user], seen[user]);
                await sockets[user].DisposeAsync();
                sockets[user] = await ConnectThroughNginxAsync(nginx, survivor, user, seen[user], since: seen[user].Max);
            }

            foreach (var user in users)
            {
                await SendAsync(user);
            }

            var total = sent;
            foreach (var user in users)
            {
                await Eventually.TrueAsync(() => Task.FromResult(Collect(sockets[user], seen[user]) == total), what: user + " having every message");
            }

            var received = users.Sum(u => seen[u].Count);
            var lost = users.Sum(u => total - seen[u].Count(s => s >= 1 && s <= total));
            output.WriteLine($"nginx failover: {Clients} clients ({onDoomed.Count} on the stopped front), {total} messages sent, " +
                $"{received} of {total * Clients} (message, client) pairs received live or recovered, {lost} lost");
            Assert.Equal(0, lost);
            Assert.All(users, u => Assert.Equal(Enumerable.Range(1, total).Select(s => (long)s), seen[u]));
        }
        finally
        {
            foreach (var socket in sockets.Values)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>Connects through nginx (which skips a front that refuses) and joins the room, recovering from <paramref name="since"/>.</summary>
    private static async Task<WsClient> ConnectThroughNginxAsync(NginxServer nginx, TestHost issuer, string user, SortedSet<long> seen, long? since)
    {
        var (client, _) = await WsClient.ConnectWelcomedAsync(nginx.BaseAddress, issuer.Token(user));
        var joined = await client.JoinAsync(Room, since);
        Assert.Equal("joined", joined.GetProperty("type").GetString());
        if (joined.TryGetProperty("messages", out var replay))
        {
            foreach (var message in replay.EnumerateArray())
            {
                seen.Add(message.GetProperty("seq").GetInt64());
            }
        }

        return client;
    }

    /// <summary>Takes the message frames the client has received into <paramref name="seen"/>; returns the highest seq seen without a gap.</summary>
    private static long Collect(WsClient client, SortedSet<long> seen)
    {
        foreach (var message in client.Unread("message"))
        {
            seen.Add(message.GetProperty("seq").GetInt64());
        }

        long contiguous = 0;
        while (seen.Contains(contiguous + 1))
        {
            contiguous++;
        }

        return contiguous;
    }
}
