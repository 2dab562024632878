using System.Globalization;
using StackExchange.Redis;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Services.Bridge;
using WeDrawOS.Services.Caching;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, finding 6: Redis is no longer trusted blindly. With <c>CACHE_BRIDGE_SECRET</c> only messages signed with
/// it reach clients; the connection can log in as an ACL user (<c>REDIS_USER</c>) and speak TLS (<c>REDIS_TLS</c>).
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class RedisTrustTests(SharedRedis redis)
{
    private const string BridgeSecret = "bridge-secret-0123456789abcdef0123456789";

    [Fact]
    public async Task With_a_bridge_secret_unsigned_and_forged_messages_do_not_reach_a_private_room()
    {
        var channel = "signed-" + Guid.NewGuid().ToString("N")[..8];
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(
            ("REDIS_PORT", redis.Port.ToString(CultureInfo.InvariantCulture)), ("CACHE_BRIDGE_CHANNELS", channel), ("CACHE_BRIDGE_SECRET", BridgeSecret)));
        await front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("vip").AllowMember("alice");
        await using var publisher = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port}");
        await Eventually.TrueAsync(async () =>
            (long)((RedisResult[])(await publisher.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1] >= 1);
        await using var alice = await front.ConnectAsync("alice");
        await alice.JoinAsync("vip");

        const string attack = """{"type":"notice","target":"room","roomId":"vip","content":"请重新登录 http://evil.example"}""";
        const string genuine = """{"type":"notice","target":"room","roomId":"vip","content":"工单已更新"}""";
        await Publish(publisher, channel, attack);
        await Publish(publisher, channel, Envelope("00" + BridgeSignature.Sign(BridgeSecret, attack)[2..], attack));
        await Publish(publisher, channel, Envelope(BridgeSignature.Sign("a-guessed-secret-0123456789abcdef01234", attack), attack));
        await Publish(publisher, channel, Envelope(BridgeSignature.Sign(BridgeSecret, genuine), genuine));

        var delivered = await alice.NextAsync("message");
        Assert.Equal("工单已更新", delivered.GetProperty("data").GetProperty("content").GetString());
        var bridge = front.GetRequiredService<RedisRealtimeBridge>();
        // The genuine message reaches the socket before the bridge's grain call returns and counts it as forwarded.
        await Eventually.TrueAsync(() => Task.FromResult(bridge.Received == 4 && bridge.Forwarded >= 1));
        Assert.Equal(1, bridge.Forwarded);
        Assert.Equal([1L], (await front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("vip").History(PageRequest.Before(null, 10, int.MaxValue))).Messages.Select(m => m.Seq));
    }

    [Fact]
    public void Signatures_are_hex_hmac_sha256_of_the_body_as_publishers_compute_them()
    {
        // RFC 4231, test case 2: what Node's crypto.createHmac('sha256', key).update(body).digest('hex') gives.
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", BridgeSignature.Sign("Jefe", "what do ya want for nothing?"));

        var withoutSecret = new BridgeSignature(null);
        Assert.True(withoutSecret.TryOpen("""{"type":"notice"}""", out var plain, out _));
        Assert.Equal("""{"type":"notice"}""", plain);
        Assert.True(withoutSecret.TryOpen(Envelope("whatever", """{"type":"notice"}"""), out var opened, out _));
        Assert.Equal("""{"type":"notice"}""", opened);

        var withSecret = new BridgeSignature(BridgeSecret);
        Assert.False(withSecret.TryOpen("""{"type":"notice"}""", out _, out var unsigned));
        Assert.Contains("not signed", unsigned, StringComparison.Ordinal);
        Assert.False(withSecret.TryOpen(Envelope("not-hex", """{"type":"notice"}"""), out _, out var garbled));
        Assert.Contains("does not match", garbled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_logs_in_as_its_acl_user()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{server.Host}:{server.Port}"))
        {
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "wedrawos", "on", ">acl-password-0123", "~wedrawos:*", "&*", "+@all");
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "default", "off");
        }

        var settings = TestHost.EmbeddedSettings();
        settings["REDIS_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        await using (var anonymous = await TestHost.StartFrontAsync(settings))
        {
            await anonymous.GetRequiredService<RedisConnection>().Created;
            Assert.False(anonymous.GetRequiredService<RedisConnection>().Multiplexer?.IsConnected);
        }

        settings["REDIS_USER"] = "wedrawos";
        settings["REDIS_PASSWORD"] = "acl-password-0123";
        await using var front = await TestHost.StartFrontAsync(settings);
        var cache = front.GetRequiredService<ICacheService>();
        await Eventually.TrueAsync(() => Task.FromResult(cache.Mode == CacheMode.Redis), what: "the cache reaching Redis as wedrawos");
        await cache.SetAsync("acl-probe", "written as wedrawos");

        await using var reader = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { { server.Host, server.Port } },
            User = "wedrawos",
            Password = "acl-password-0123",
        });
        Assert.Equal("written as wedrawos", (string?)await reader.GetDatabase().StringGetAsync("wedrawos:acl-probe"));
        var clients = (string?)await reader.GetDatabase().ExecuteAsync("CLIENT", "LIST");
        Assert.Contains(clients!.Split('\n'), c => c.Contains("name=wedrawos-cache", StringComparison.Ordinal) && c.Contains("user=wedrawos", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cache_speaks_tls_to_a_server_it_trusts()
    {
        using var certificate = new SmtpCertificate();
        await using var server = await RedisServer.StartTlsAsync(certificate.CertificateFile, certificate.KeyFile);
        var settings = TestHost.EmbeddedSettings();
        settings["REDIS_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        settings["REDIS_TLS"] = "true";
        await using (var untrusting = await TestHost.StartFrontAsync(settings))
        {
            // The certificate is from a private CA the front was not told about: no connection.
            await untrusting.GetRequiredService<RedisConnection>().Created;
            Assert.False(untrusting.GetRequiredService<RedisConnection>().Multiplexer?.IsConnected);
        }

        settings["REDIS_CA_FILE"] = certificate.CertificateFile;
        await using var front = await TestHost.StartFrontAsync(settings);
        var cache = front.GetRequiredService<ICacheService>();
        await Eventually.TrueAsync(() => Task.FromResult(cache.Mode == CacheMode.Redis), what: "the cache reaching Redis over TLS");
        await cache.SetAsync("tls-probe", "written over TLS");

        var reader = new ConfigurationOptions { EndPoints = { { server.Host, server.Port } }, Ssl = true, SslHost = server.Host };
        reader.TrustIssuer(certificate.CertificateFile);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(reader);
        Assert.Equal("written over TLS", (string?)await connection.GetDatabase().StringGetAsync("wedrawos:tls-probe"));
    }

    private static string Envelope(string signature, string body) =>
        System.Text.Json.JsonSerializer.Serialize(new { sig = signature, body });

    private static Task Publish(ConnectionMultiplexer publisher, string channel, string payload) =>
        publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), payload);
}
