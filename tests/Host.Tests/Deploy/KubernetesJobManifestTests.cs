using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace NanoDet.Host.Tests.Deploy;

/// <summary>
/// deploy/k8s/train-job.yaml has no cluster to run on here, so its structure is checked against the facts it
/// depends on: the image the build scripts tag, the Dockerfile's volumes and working directory, the profile's data
/// paths, and a restart setup that resumes (Job retries with <c>restartPolicy: Never</c> + <c>--auto-resume</c>).
/// </summary>
public partial class KubernetesJobManifestTests
{
    private static readonly string Root = TestPaths.RepoRoot;

    private static YamlMappingNode Manifest()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "deploy", "k8s", "train-job.yaml")))
            stream.Load(reader);
        Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var map = Assert.IsType<YamlMappingNode>(node);
            Assert.True(map.Children.TryGetValue(new YamlScalarNode(key), out var child), $"missing key '{key}' in {string.Join('.', path)}");
            node = child!;
        }
        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(At(node, path)).Value!;

    private static YamlMappingNode Container(YamlMappingNode job) =>
        Assert.IsType<YamlMappingNode>(Assert.Single(Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "containers")).Children));

    private static List<string> Args(YamlMappingNode job) =>
        Assert.IsType<YamlSequenceNode>(At(Container(job), "args")).Children.Select(n => Assert.IsType<YamlScalarNode>(n).Value!).ToList();

    /// <summary>The runtime stage's <c>VOLUME [...]</c> list and <c>WORKDIR</c> of the Dockerfile.</summary>
    private static (string[] Volumes, string WorkDir) DockerfileRuntime()
    {
        var text = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var runtime = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var volumes = VolumeLine().Match(runtime);
        Assert.True(volumes.Success, "Dockerfile runtime stage has no VOLUME [...] line");
        var workdir = WorkdirLine().Match(runtime);
        Assert.True(workdir.Success, "Dockerfile runtime stage has no WORKDIR line");
        return (JsonSerializer.Deserialize<string[]>(volumes.Groups[1].Value)!, workdir.Groups[1].Value.Trim());
    }

    [Fact]
    public void IsABatchJobThatRetriesNewPods()
    {
        var job = Manifest();
        Assert.Equal("batch/v1", Scalar(job, "apiVersion"));
        Assert.Equal("Job", Scalar(job, "kind"));
        Assert.True(int.Parse(Scalar(job, "spec", "backoffLimit"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        // Never: every retry is a new pod counted by backoffLimit (and podFailurePolicy requires it).
        Assert.Equal("Never", Scalar(job, "spec", "template", "spec", "restartPolicy"));
        Assert.True(int.Parse(Scalar(job, "spec", "template", "spec", "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture) >= 30,
            "SIGTERM needs time to finish the step and write the resume state");
    }

    [Fact]
    public void RunsTheBuiltImageThroughItsEntryPointWithAutoResume()
    {
        var job = Manifest();
        var container = Container(job);
        var lib = File.ReadAllText(Path.Combine(Root, "scripts", "container-lib.sh"));
        var tag = DefaultImage().Match(lib);
        Assert.True(tag.Success, "scripts/container-lib.sh: no default NANODET_IMAGE");
        Assert.Equal(tag.Groups[1].Value, Scalar(container, "image"));
        Assert.False(container.Children.ContainsKey(new YamlScalarNode("command")), "command would bypass the image's entry point");

        var args = Args(job);
        Assert.Equal("train", args[0]);
        Assert.Contains("--auto-resume", args);
        Assert.DoesNotContain("--resume", args);
    }

    [Fact]
    public void MountsTheImageVolumesFromClaimsAndSavesIntoTheWorkspace()
    {
        var job = Manifest();
        var (dockerVolumes, workdir) = DockerfileRuntime();
        var mounts = Assert.IsType<YamlSequenceNode>(At(Container(job), "volumeMounts")).Children.Cast<YamlMappingNode>()
            .ToDictionary(m => Scalar(m, "mountPath"), m => m);
        Assert.Equal(dockerVolumes.Order(), mounts.Keys.Order());

        var volumes = Assert.IsType<YamlSequenceNode>(At(job, "spec", "template", "spec", "volumes")).Children.Cast<YamlMappingNode>()
            .ToDictionary(v => Scalar(v, "name"), v => v);
        foreach (var (path, mount) in mounts)
        {
            var name = Scalar(mount, "name");
            Assert.True(volumes.ContainsKey(name), $"volumeMount {path} names no volume '{name}'");
            // A claim outlives the pod; an emptyDir would lose the resume state with it.
            Assert.NotEmpty(Scalar(volumes[name], "persistentVolumeClaim", "claimName"));
        }

        var args = Args(job);
        var saveDir = args.Zip(args.Skip(1)).Where(p => p.First == "--set" && p.Second.StartsWith("save_dir=", StringComparison.Ordinal))
            .Select(p => p.Second["save_dir=".Length..]).Single();
        var workspace = dockerVolumes.Single(v => v.EndsWith("/workspace", StringComparison.Ordinal));
        Assert.StartsWith(workspace + "/", Path.GetFullPath(saveDir, workdir));
        Assert.False(mounts[workspace].Children.TryGetValue(new YamlScalarNode("readOnly"), out var ro) && ro.ToString() == "true",
            "the workspace volume must be writable");

        // The profile's relative data paths resolve, from the working directory, inside the data volume.
        var data = dockerVolumes.Single(v => v != workspace);
        Assert.Equal("true", Scalar(mounts[data], "readOnly"));
        var profile = args[args.IndexOf("--profile") + 1];
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, $"appsettings.{profile}.json")));
        foreach (var split in json.RootElement.GetProperty("data").EnumerateObject())
            foreach (var key in new[] { "img_path", "ann_path" })
            {
                var p = split.Value.GetProperty(key).GetString()!;
                Assert.StartsWith(data + "/", Path.GetFullPath(p, workdir));
            }
    }

    [GeneratedRegex(@"^VOLUME\s+(\[.*\])\s*$", RegexOptions.Multiline)]
    private static partial Regex VolumeLine();

    [GeneratedRegex(@"^WORKDIR\s+(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex WorkdirLine();

    [GeneratedRegex(@"NANODET_IMAGE=\$\{NANODET_IMAGE:-([^}]+)\}")]
    private static partial Regex DefaultImage();
}
