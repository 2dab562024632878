using System.Globalization;
using System.Text.RegularExpressions;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;
using YamlDotNet.RepresentationModel;

namespace WeDrawOS.Tests.Operations;

/// <summary>deploy/compose.yaml and deploy/k8s parse, and set only variables the README documents, with the shapes docs/deployment.md promises.</summary>
public sealed partial class DeploymentFilesTests
{
    // Variables set by the platform or read by libraries rather than by this system's settings.
    private static readonly string[] PlatformVariables = ["POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID", "FRONT_1", "FRONT_2", "NGINX_PORT"];

    [Fact]
    public void Compose_runs_redis_with_aof_two_silos_two_fronts_nginx_and_prometheus_with_documented_variables()
    {
        var compose = Load("deploy", "compose.yaml").Single();
        var services = (YamlMappingNode)compose["services"];
        Assert.Equal(["front1", "front2", "nginx", "prometheus", "redis", "silo1", "silo2"], services.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains("--appendonly yes", string.Join(" ", ((YamlSequenceNode)services["redis"]["command"]).Select(c => c.ToString())), StringComparison.Ordinal);
        foreach (var name in new[] { "silo1", "silo2", "front1", "front2" })
        {
            var environment = (YamlMappingNode)services[name]["environment"];
            var merged = Variables(environment);
            Assert.Equal("redis", merged["CLUSTER_MODE"]);
            Assert.Equal("redis", merged["REDIS_HOST"]);
            // Required outside Development: API_KEY by every process, JWT_SECRET by fronts.
            Assert.StartsWith("${API_KEY:?", merged["API_KEY"], StringComparison.Ordinal);
            Assert.Equal(name.StartsWith("front", StringComparison.Ordinal), merged.ContainsKey("JWT_SECRET"));
        }

        var nginxEnvironment = Variables((YamlMappingNode)services["nginx"]["environment"]);
        Assert.Equal(["front1:8080", "front2:8080"], new[] { nginxEnvironment["FRONT_1"], nginxEnvironment["FRONT_2"] });
        AssertDocumented(AllVariableNames(compose));
    }

    [Fact]
    public void Kubernetes_manifests_probe_health_outlast_the_shutdown_timeout_and_keep_one_pod_of_each_kind()
    {
        var documents = new[] { "config.yaml", "silo.yaml", "front.yaml" }.SelectMany(f => Load("deploy", "k8s", f)).ToList();
        YamlMappingNode Kind(string kind, string name) => documents.Single(d => d["kind"].ToString() == kind && d["metadata"]["name"].ToString() == name);

        var config = (YamlMappingNode)Kind("ConfigMap", "wedrawos-cluster")["data"];
        var shutdown = int.Parse(config["SHUTDOWN_TIMEOUT_SECONDS"].ToString(), CultureInfo.InvariantCulture);
        foreach (var name in new[] { "wedrawos-silo", "wedrawos-front" })
        {
            var pod = (YamlMappingNode)Kind("Deployment", name)["spec"]["template"]["spec"];
            Assert.True(int.Parse(pod["terminationGracePeriodSeconds"].ToString(), CultureInfo.InvariantCulture) > shutdown);
            var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
            Assert.Equal("/health/ready", container["readinessProbe"]["httpGet"]["path"].ToString());
            Assert.Equal("/health/live", container["livenessProbe"]["httpGet"]["path"].ToString());
            Assert.Equal("1", Kind("PodDisruptionBudget", name)["spec"]["minAvailable"].ToString());
            // The secret holds API_KEY (and JWT_SECRET), without which neither kind of process starts.
            var secret = ((YamlSequenceNode)container["envFrom"]).Cast<YamlMappingNode>().Single(e => e.Children.ContainsKey("secretRef"))["secretRef"];
            Assert.Equal("wedrawos-secrets", secret["name"].ToString());
            Assert.False(((YamlMappingNode)secret).Children.ContainsKey("optional"), name + ": the secret must not be optional");
        }

        Assert.Equal(config["CLUSTER_ID"].ToString(), config["ORLEANS_CLUSTER_ID"].ToString());
        Assert.Equal(config["SERVICE_ID"].ToString(), config["ORLEANS_SERVICE_ID"].ToString());

        var silo = (YamlMappingNode)((YamlSequenceNode)Kind("Deployment", "wedrawos-silo")["spec"]["template"]["spec"]["containers"]).Single();
        Assert.Contains(((YamlSequenceNode)silo["env"]).Cast<YamlMappingNode>(), e => e["name"].ToString() == "KUBERNETES_HOSTING" && e["value"].ToString() == "true");
        Assert.Equal("wedrawos-front", Kind("Service", "wedrawos-front")["spec"]["selector"]["app"].ToString());
        AssertDocumented(documents.SelectMany(AllVariableNames));
    }

    [Fact]
    public void The_nginx_template_upgrades_websockets_and_balances_without_affinity()
    {
        var template = File.ReadAllText(RepositoryFiles.Path("deploy", "nginx", "wedrawos.conf.template"));
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", template, StringComparison.Ordinal);
        Assert.Contains("proxy_http_version 1.1;", template, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\b(ip_hash|hash|sticky|least_conn)\b", template);
        Assert.Equal(["FRONT_1", "FRONT_2", "NGINX_PORT"], NginxTemplate.Variables(template));
    }

    [Theory]
    [InlineData("silo.Dockerfile", "Silo/Silo.csproj", "8081")]
    [InlineData("front.Dockerfile", "WebFront/WebFront.csproj", "8080")]
    public void Images_publish_their_project_and_run_it_unprivileged_in_production_with_a_health_check(string file, string project, string port)
    {
        Assert.True(File.Exists(RepositoryFiles.Path(project.Split('/'))), project + " does not exist");
        Assert.Contains($"RUN dotnet publish {project} -c Release", File.ReadAllText(RepositoryFiles.Path("deploy", file)), StringComparison.Ordinal);
        Assert.Equal("$APP_UID", Assert.Single(Dockerfiles.FinalStage(file, "USER")));
        var environment = string.Join(" ", Dockerfiles.FinalStage(file, "ENV")).Split(' ');
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", environment);
        Assert.Contains("HTTP_PORT=" + port, environment);
        Assert.Contains($"http://127.0.0.1:{port}/health/live", Assert.Single(Dockerfiles.FinalStage(file, "HEALTHCHECK")), StringComparison.Ordinal);
        Assert.EndsWith(".dll", Dockerfiles.EntryAssembly(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_files_choose_production_and_never_the_development_default()
    {
        var files = Directory.GetFiles(RepositoryFiles.Path("deploy"), "*", SearchOption.AllDirectories);
        Assert.True(files.Length >= 8, "deploy/ files: " + files.Length);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(DefaultEnvironment.Variable, text, StringComparison.Ordinal);
            Assert.All(EnvironmentName().Matches(text), m => Assert.Equal("Production", m.Groups[1].Value));
        }
    }

    private static List<YamlMappingNode> Load(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(RepositoryFiles.Path(path)));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    /// <summary>An <c>environment</c> mapping with its <c>&lt;&lt;</c> merge keys resolved (YamlDotNet resolves the alias, not the merge).</summary>
    private static Dictionary<string, string> Variables(YamlMappingNode environment)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment.Children)
        {
            if (key.ToString() == "<<")
            {
                foreach (var (k, v) in Variables((YamlMappingNode)value))
                {
                    result.TryAdd(k, v);
                }
            }
            else
            {
                result[key.ToString()] = value.ToString();
            }
        }

        return result;
    }

    /// <summary>Every variable a document sets: compose environment keys, Kubernetes env names and ConfigMap keys.</summary>
    private static IEnumerable<string> AllVariableNames(YamlNode node) => node switch
    {
        YamlMappingNode map when map.Children.TryGetValue("kind", out var kind) && kind.ToString() == "ConfigMap" =>
            ((YamlMappingNode)map["data"]).Children.Keys.Select(k => k.ToString()),
        YamlMappingNode map => map.Children.SelectMany(child => child.Key.ToString() switch
        {
            "environment" when child.Value is YamlMappingNode environment => Variables(environment).Keys,
            "env" when child.Value is YamlSequenceNode env => env.Cast<YamlMappingNode>().Select(e => e["name"].ToString()),
            _ => AllVariableNames(child.Value),
        }),
        YamlSequenceNode sequence => sequence.SelectMany(AllVariableNames),
        _ => [],
    };

    private static void AssertDocumented(IEnumerable<string> variables)
    {
        var undocumented = variables.Distinct().Where(v => !ReadmeVariables.Documented.Contains(v) && !PlatformVariables.Contains(v)).ToList();
        Assert.True(undocumented.Count == 0, "not in the README's table: " + string.Join(", ", undocumented));
    }

    [GeneratedRegex("""(?:ASPNETCORE|DOTNET)_ENVIRONMENT\s*[=:]\s*"?([A-Za-z]*)""")]
    private static partial Regex EnvironmentName();
}
