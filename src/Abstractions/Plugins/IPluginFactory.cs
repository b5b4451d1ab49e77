using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>
/// A plugin that builds a product from an options object. The host binds <see cref="OptionsType"/> from the
/// plugin's config section (NanoDet snake_case keys via <c>[ConfigurationKeyName]</c>), validates it
/// (DataAnnotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>) and then calls
/// <see cref="Create"/>. Derive from <see cref="PluginFactory{TOptions, TProduct}"/> rather than implementing this.
/// </summary>
public interface IPluginFactory<out TProduct>
{
    /// <summary>The options class bound from the config section.</summary>
    Type OptionsType { get; }

    /// <summary>Builds the product; <paramref name="options"/> is an instance of <see cref="OptionsType"/>.</summary>
    TProduct Create(object options, PluginContext context);
}
