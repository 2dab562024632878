using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Messaging;
using WeDrawOS.Client;
using WeDrawOS.Configuration;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Security;

/// <summary>
/// Issue 10, finding 13: with <c>ORLEANS_TLS_CERT_PATH</c> two silos and a front talk over mutual TLS, and a member
/// whose Orleans client has no cluster certificate cannot connect to any gateway.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class ClusterTlsTests(SharedRedis redis) : IDisposable
{
    private const string CertificatePassword = "cluster-pfx-password";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wedrawos-cluster-tls-");

    [Fact]
    public async Task Two_silos_and_a_front_work_over_tls_and_a_plain_client_cannot_join()
    {
        var clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        var certificate = CreateClusterCertificate(Path.Combine(_folder.FullName, "cluster.pfx"));
        Dictionary<string, string> Member()
        {
            var settings = TestHost.ClusterSettings(redis, clusterId);
            settings["ORLEANS_TLS_CERT_PATH"] = certificate;
            settings["ORLEANS_TLS_CERT_PASSWORD"] = CertificatePassword;
            return settings;
        }

        await using var siloA = await TestHost.StartSiloAsync(Member());
        await using var siloB = await TestHost.StartSiloAsync(Member());
        await using var front = await TestHost.StartFrontAsync(Member());
        await Eventually.TrueAsync(
            async () => JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement.GetProperty("silos").GetArrayLength() == 2,
            what: "the front seeing both silos");
        await using var alice = await front.ConnectAsync("alice");
        await alice.JoinAsync("tls-room");
        var posted = await front.Operator.PostAsJsonAsync("/api/rooms/tls-room/messages", new { from = "svc", data = "over TLS" });
        Assert.True(posted.IsSuccessStatusCode, posted.StatusCode.ToString());
        Assert.Equal("over TLS", (await alice.NextAsync("message")).GetProperty("data").GetString());

        // An Orleans client as UseWeDrawOSClient configures it (fronts, services), with and without the certificate. Without, it
        // would retry for minutes (Orleans' default): one attempt at every gateway is enough to see it refused.
        using var member = Client(clusterId, new ClusterTlsOptions { CertificatePath = certificate, CertificatePassword = CertificatePassword });
        await member.StartAsync();
        await member.StopAsync();
        using var outsider = Client(clusterId, new ClusterTlsOptions());

        var refused = await Assert.ThrowsAsync<ConnectionFailedException>(() => outsider.StartAsync());
        Assert.Contains("available gateways", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private IHost Client(string clusterId, ClusterTlsOptions tls)
    {
        var builder = Host.CreateApplicationBuilder();
        var cluster = new ClusterSettings { Mode = ClusterMode.Redis, ClusterId = clusterId, ServiceId = clusterId };
        builder.Services.AddSingleton(Options.Create(cluster));
        builder.UseOrleansClient(client => client
            .UseWeDrawOSClient(cluster, new RedisOptions { Host = redis.Host, Port = redis.Port })
            .UseWeDrawOSTls(tls)
            .UseConnectionRetryFilter((_, _) => Task.FromResult(false)));
        return builder.Build();
    }

    /// <summary>A self-signed certificate usable for TLS servers and clients, written as a password-protected PKCS#12 file.</summary>
    private static string CreateClusterCertificate(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=wedrawos-cluster", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        return path;
    }
}
