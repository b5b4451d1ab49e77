using NanoDet.Detectors;
using NanoDet.Host.Tests.Cli;

namespace NanoDet.Host.Tests.Model;

public class NetworkPluginsCliTests
{
    [Fact]
    public void The_cli_lists_the_network_plugins_with_their_kinds_and_assemblies()
    {
        var r = CliProcess.Run(TestPaths.NewTempDir("cwd"), "plugins");
        Assert.True(r.ExitCode == 0, r.All);
        var lines = r.StdOut.Split('\n');
        foreach (var (kind, name, assembly) in new[]
                 {
                     ("arch", "NanoDetPlus", "NanoDet.Detectors"), ("backbone", "ShuffleNetV2", "NanoDet.Backbones"),
                     ("fpn", "GhostPAN", "NanoDet.Backbones"), ("head", "NanoDetPlusHead", "NanoDet.Heads"),
                     ("aux_head", "SimpleConvHead", "NanoDet.Heads"),
                 })
            Assert.Contains(lines, l => l.Contains(kind) && l.Contains(name) && l.Contains(assembly));
    }
}
