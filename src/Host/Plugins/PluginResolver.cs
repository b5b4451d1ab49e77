using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Plugins;

/// <summary>The host's <see cref="IPluginResolver"/>: keyed-service lookup, options binding, clear errors.</summary>
internal sealed class PluginResolver(IServiceProvider services, PluginCatalog catalog, ILoggerFactory loggers) : IPluginResolver
{
    private readonly ILogger _log = loggers.CreateLogger("NanoDet.Plugins");

    public TProduct Create<TProduct>(string kind, IConfigurationSection section, string? name = null)
    {
        var instance = Instance(kind, section, name, out var descriptor);
        switch (instance)
        {
            case IPluginFactory<TProduct> factory:
                var unknown = new List<string>();
                var options = OptionsBinder.Bind(factory.OptionsType, section, unknown);
                foreach (var key in unknown)
                    _log.LogWarning("{Key}: not used by {Kind} {Name} (ignored)", key, kind, descriptor.Name);
                return factory.Create(options, new PluginContext(section, this, loggers));
            case TProduct product:
                return product;
            default:
                throw new ConfigurationException(
                    $"{section.Path}:name: {kind} plugin '{descriptor.Name}' ({descriptor.Type.FullName}) does not build a {typeof(TProduct).Name}");
        }
    }

    public object Options(string kind, IConfigurationSection section, string? name = null)
    {
        var instance = Instance(kind, section, name, out var descriptor);
        if (instance is not IPluginFactory<object> factory)
            throw new ConfigurationException(
                $"{section.Path}:name: {kind} plugin '{descriptor.Name}' ({descriptor.Type.FullName}) has no options");
        // unknown keys are reported where the product is built, not again here
        return OptionsBinder.Bind(factory.OptionsType, section, []);
    }

    public T Get<T>(string kind, string name) where T : class
    {
        var descriptor = catalog.Find(kind, name) ?? throw Unknown(kind, name, kind);
        var instance = services.GetRequiredKeyedService(descriptor.Type, descriptor.Key);
        return instance as T ?? throw new ConfigurationException(
            $"{kind} plugin '{name}' ({descriptor.Type.FullName}) is not a {typeof(T).Name}");
    }

    public T BindOptions<T>(IConfigurationSection section) where T : class, new() => OptionsBinder.Bind<T>(section);

    public IReadOnlyList<string> NamesOf(string kind) => catalog.NamesOf(kind);

    private object Instance(string kind, IConfigurationSection section, string? name, out PluginDescriptor descriptor)
    {
        var nameKey = $"{section.Path}:name";
        name ??= section["name"];
        if (string.IsNullOrWhiteSpace(name))
            throw new ConfigurationException(
                $"{nameKey}: missing; available {kind} plugins: {Join(catalog.NamesOf(kind))}");
        descriptor = catalog.Find(kind, name) ?? throw Unknown(kind, name, nameKey);
        return services.GetRequiredKeyedService(descriptor.Type, descriptor.Key);
    }

    private ConfigurationException Unknown(string kind, string name, string key) =>
        new($"{key}: unknown {kind} '{name}'; available: {Join(catalog.NamesOf(kind))}");

    private static string Join(IReadOnlyList<string> names) => names.Count == 0 ? "(none)" : string.Join(", ", names);
}
