using System.Reflection;
using System.Runtime.Loader;

namespace NanoDet.Host.Plugins;

/// <summary>
/// One load context per external plugin folder. Contract and shared assemblies (NanoDet.Abstractions, NanoDet.Compute, NanoDet.Inference, TorchSharp,
/// OpenCvSharp, Microsoft.Extensions.*) resolve to the host's copies so types match across the boundary;
/// everything else loads from the folder (using its .deps.json when present).
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private static readonly string[] SharedPrefixes =
    [
        "NanoDet.Abstractions", "NanoDet.Compute", "NanoDet.Inference", "TorchSharp", "OpenCvSharp", "Microsoft.ML.OnnxRuntime", "Google.Protobuf", "Microsoft.Extensions.", "System.", "netstandard", "mscorlib",
    ];

    private readonly string _folder;
    private readonly AssemblyDependencyResolver? _resolver;

    public PluginLoadContext(string folder, string? mainAssemblyPath)
        : base($"nanodet-plugins:{folder}", isCollectible: false)
    {
        _folder = folder;
        if (mainAssemblyPath is not null && File.Exists(Path.ChangeExtension(mainAssemblyPath, ".deps.json")))
            _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    public static bool IsShared(string? name) =>
        name is not null && SharedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    protected override Assembly? Load(AssemblyName name)
    {
        if (IsShared(name.Name))
            return null; // fall back to the default context: the host's copy
        var path = _resolver?.ResolveAssemblyToPath(name);
        if (path is null)
        {
            var candidate = Path.Combine(_folder, name.Name + ".dll");
            if (File.Exists(candidate)) path = candidate;
        }
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
