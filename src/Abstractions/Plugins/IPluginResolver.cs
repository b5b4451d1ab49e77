using Microsoft.Extensions.Configuration;
using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>
/// The registry as plugins see it. Implemented by the host (the only composition root). Every failure is a
/// <see cref="ConfigurationException"/> naming the config key at fault and, for unknown names, the names available.
/// </summary>
public interface IPluginResolver
{
    /// <summary>
    /// Builds a product with plugin (<paramref name="kind"/>, <paramref name="name"/>) whose options are bound
    /// from <paramref name="section"/>. When <paramref name="name"/> is null it is read from <c>section:name</c>.
    /// </summary>
    TProduct Create<TProduct>(string kind, IConfigurationSection section, string? name = null);

    /// <summary>
    /// The bound and validated options object of plugin (<paramref name="kind"/>, <paramref name="name"/>) without
    /// building its product, to ask a configured plugin what its options declare (e.g. a head's
    /// <see cref="Model.IHeadContract"/>). Throws a <see cref="ConfigurationException"/> when the plugin is not
    /// options-bound.
    /// </summary>
    object Options(string kind, IConfigurationSection section, string? name = null);

    /// <summary>Returns the singleton instance of a plugin that is not options-bound (e.g. a loader).</summary>
    T Get<T>(string kind, string name) where T : class;

    /// <summary>Binds and validates an options object with the host's rules (snake_case keys, full key paths in errors).</summary>
    T BindOptions<T>(IConfigurationSection section) where T : class, new();

    /// <summary>Names registered for a kind, sorted.</summary>
    IReadOnlyList<string> NamesOf(string kind);
}
