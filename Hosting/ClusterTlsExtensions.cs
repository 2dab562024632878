using Orleans.Hosting;
using WeDrawOS.Client;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting;

/// <summary>The silo side of <see cref="ClusterTls"/>: silo-to-silo and gateway connections over mutual TLS.</summary>
public static class ClusterTlsExtensions
{
    public static ISiloBuilder UseWeDrawOSTls(this ISiloBuilder silo, ClusterTlsOptions tls)
    {
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            silo.UseTls(certificate, options => ClusterTls.Pin(options, certificate));
        }

        return silo;
    }
}
