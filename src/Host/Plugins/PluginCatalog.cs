using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Plugins;

/// <summary>
/// Discovers plugin classes (<see cref="NanoDetPluginAttribute"/>) with Scrutor in the built-in plugin
/// assemblies and in every assembly of the configured plugin folders, registers each as a keyed singleton
/// under its <see cref="PluginKey"/>, and rejects duplicate (kind, name) pairs.
/// </summary>
internal sealed class PluginCatalog
{
    /// <summary>Assemblies deployed with the host that carry the built-in plugins.</summary>
    public static readonly IReadOnlyList<string> BuiltInAssemblyNames =
        ["NanoDet.Detectors", "NanoDet.Backbones", "NanoDet.Heads", "NanoDet.Datasets", "NanoDet.Evaluators"];

    private readonly Dictionary<PluginKey, PluginDescriptor> _byKey;

    private PluginCatalog(IReadOnlyList<PluginDescriptor> plugins)
    {
        Plugins = plugins;
        _byKey = plugins.ToDictionary(p => p.Key);
    }

    /// <summary>Every plugin, sorted by kind then name.</summary>
    public IReadOnlyList<PluginDescriptor> Plugins { get; }

    public PluginDescriptor? Find(string kind, string name) => _byKey.GetValueOrDefault(new PluginKey(kind, name));

    public IReadOnlyList<string> NamesOf(string kind) =>
        Plugins.Where(p => p.Kind == kind).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Loads the built-in assemblies and the assemblies of each folder (one load context per folder).</summary>
    /// <param name="folders">Plugin folders in config order (<c>plugins:paths</c>).</param>
    /// <param name="describeFolder">Names a folder in errors, e.g. <c>plugins:paths:0</c>.</param>
    public static IReadOnlyList<Assembly> LoadAssemblies(IReadOnlyList<string> folders, Func<int, string> describeFolder)
    {
        var assemblies = new List<Assembly>();
        foreach (var name in BuiltInAssemblyNames)
        {
            try { assemblies.Add(Assembly.Load(new AssemblyName(name))); }
            catch (FileNotFoundException) { /* a trimmed deployment may leave a built-in out */ }
        }
        for (int i = 0; i < folders.Count; i++)
        {
            var folder = Path.GetFullPath(folders[i]);
            if (!Directory.Exists(folder))
                throw new ConfigurationException($"{describeFolder(i)}: plugin folder not found: {folder}");
            var dlls = Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal)
                .Where(f => !PluginLoadContext.IsShared(Path.GetFileNameWithoutExtension(f))).ToArray();
            var main = dlls.FirstOrDefault(f => File.Exists(Path.ChangeExtension(f, ".deps.json")));
            var context = new PluginLoadContext(folder, main);
            foreach (var dll in dlls)
            {
                try { assemblies.Add(context.LoadFromAssemblyPath(dll)); }
                catch (BadImageFormatException) { /* a native library next to the plugin */ }
            }
        }
        return assemblies;
    }

    /// <summary>Scans <paramref name="assemblies"/> with Scrutor and registers every plugin as a keyed singleton.</summary>
    public static PluginCatalog Register(IServiceCollection services, IReadOnlyList<Assembly> assemblies)
    {
        int before = services.Count;
        try
        {
            services.Scan(scan => scan
                .FromAssemblies(assemblies)
                .AddClasses(c => c.WithAttribute<NanoDetPluginAttribute>(), publicOnly: false)
                .AsSelf()
                .WithServiceKey(t => KeyOf(t))
                .WithSingletonLifetime());
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            throw new ConfigurationException($"a plugin assembly could not be scanned: {first?.Message ?? e.Message}", e);
        }

        var found = services.Skip(before)
            .Where(sd => sd.IsKeyedService && sd.ServiceKey is PluginKey && sd.KeyedImplementationType is not null)
            .Select(sd => Describe(sd.KeyedImplementationType!))
            .ToList();

        var duplicate = found.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var where = string.Join(" and ", duplicate.Select(p => $"{p.Type.FullName} in {p.AssemblyName} ({p.Location})"));
            throw new ConfigurationException(
                $"two plugins are registered as {duplicate.Key.Kind} '{duplicate.Key.Name}': {where}");
        }
        return new PluginCatalog(found.OrderBy(p => p.Kind, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToArray());
    }

    private static PluginKey KeyOf(Type t)
    {
        var a = t.GetCustomAttribute<NanoDetPluginAttribute>()!;
        return new PluginKey(a.Kind, a.Name);
    }

    private static PluginDescriptor Describe(Type t)
    {
        var a = t.GetCustomAttribute<NanoDetPluginAttribute>()!;
        return new PluginDescriptor(a.Kind, a.Name, t, a.Description);
    }
}
