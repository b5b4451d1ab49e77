using System.Reflection;
using NanoDet.Host.Plugins;

namespace NanoDet.Host.Tests.Architecture;

/// <summary>
/// The layering of docs/architecture.md, read from the compiled assemblies' references (the compiler records an
/// assembly reference only when a type of it is used): plugins see the contracts and the shared libraries, never
/// another plugin or the host; the host and the libraries name no plugin type; Abstractions builds on the torch-free
/// inference library, which needs nothing else of ours.
/// </summary>
public class AssemblyWallTests
{
    private static readonly string[] Plugins = PluginCatalog.BuiltInAssemblyNames.ToArray();

    /// <summary>Libraries a plugin may use besides Abstractions.</summary>
    private static readonly string[] SharedLibraries = ["NanoDet.Abstractions", "NanoDet.Compute", "NanoDet.Inference"];

    private static string[] OursReferencedBy(string assembly) =>
        Assembly.Load(new AssemblyName(assembly)).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("NanoDet.", StringComparison.Ordinal) || n == "nanodet")
            .ToArray();

    [Fact]
    public void Plugins_reference_only_abstractions_and_the_shared_libraries()
    {
        Assert.Equal(5, Plugins.Length);
        foreach (var plugin in Plugins)
        {
            var wrong = OursReferencedBy(plugin).Except(SharedLibraries).ToArray();
            Assert.True(wrong.Length == 0, $"{plugin} references {string.Join(", ", wrong)}");
        }
    }

    [Fact]
    public void The_host_and_the_libraries_name_no_plugin_type()
    {
        var host = typeof(PluginCatalog).Assembly.GetName().Name!;
        var libraries = new[] { host }.Concat(OursReferencedBy(host).Except(Plugins)).Distinct().ToArray();
        Assert.Contains("NanoDet.Checkpoints", libraries);
        foreach (var library in libraries)
        {
            var wrong = OursReferencedBy(library).Intersect(Plugins).ToArray();
            Assert.True(wrong.Length == 0, $"{library} uses types of the plugin assemblies {string.Join(", ", wrong)}; ask through an Abstractions contract instead");
            Assert.DoesNotContain(host, OursReferencedBy(library));
        }
    }

    [Fact]
    public void Abstractions_builds_on_the_inference_library_only()
    {
        Assert.Equal(["NanoDet.Inference"], OursReferencedBy("NanoDet.Abstractions"));
    }

    [Fact]
    public void The_inference_library_needs_neither_torch_nor_any_other_assembly_of_ours()
    {
        var references = Assembly.Load(new AssemblyName("NanoDet.Inference")).GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, n => n.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.Empty(OursReferencedBy("NanoDet.Inference"));
    }
}
