using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Debian's nginx on a free loopback port running deploy/nginx's template, filled in with the given fronts as compose
/// fills it in, inside a minimal main configuration of its own (temporary folder, no daemon, logs to the folder).
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly DirectoryInfo _folder;

    private NginxServer(ChildProcess process, DirectoryInfo folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public static async Task<NginxServer> StartAsync(Uri front1, Uri front2)
    {
        var folder = Directory.CreateTempSubdirectory("wedrawos-nginx-");
        var port = FreePort.Next();
        var site = NginxTemplate.Render(await File.ReadAllTextAsync(RepositoryFiles.Path("deploy", "nginx", "wedrawos.conf.template")), new Dictionary<string, string>
        {
            ["FRONT_1"] = front1.Authority,
            ["FRONT_2"] = front2.Authority,
            ["NGINX_PORT"] = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        });
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "wedrawos.conf"), site);
        var main = $$"""
            daemon off;
            worker_processes 1;
            pid {{folder.FullName}}/nginx.pid;
            error_log {{folder.FullName}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{folder.FullName}}/body;
                proxy_temp_path {{folder.FullName}}/proxy;
                fastcgi_temp_path {{folder.FullName}}/fastcgi;
                uwsgi_temp_path {{folder.FullName}}/uwsgi;
                scgi_temp_path {{folder.FullName}}/scgi;
                include {{folder.FullName}}/wedrawos.conf;
            }
            """;
        var config = Path.Combine(folder.FullName, "nginx.conf");
        await File.WriteAllTextAsync(config, main);
        var process = ChildProcess.Start(new ProcessStartInfo(ExternalProgram.Find("nginx", "NGINX_BIN"))
        {
            ArgumentList = { "-p", folder.FullName, "-c", config },
        });
        await process.WaitUntilAnswersAsync(async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            return true;
        }, "nginx listening");
        return new NginxServer(process, folder, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
