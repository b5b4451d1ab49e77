using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>Typed base class for options-bound plugins.</summary>
public abstract class PluginFactory<TOptions, TProduct> : IPluginFactory<TProduct>
    where TOptions : class, new()
{
    public Type OptionsType => typeof(TOptions);

    TProduct IPluginFactory<TProduct>.Create(object options, PluginContext context) =>
        Create((TOptions)options, context);

    /// <summary>Builds the product from validated options.</summary>
    public abstract TProduct Create(TOptions options, PluginContext context);
}
