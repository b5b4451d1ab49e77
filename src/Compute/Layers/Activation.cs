using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// Activation layers by NanoDet name. <c>LeakyReLU</c> uses NanoDet's negative slope 0.1 (TorchSharp's default
/// is 0.01). Layers are built non-inplace: the results are identical and autograd never sees an overwritten input.
/// </summary>
public static class Activation
{
    /// <summary>NanoDet's leaky slope, used everywhere a config says LeakyReLU.</summary>
    public const double LeakySlope = 0.1;

    /// <summary>Every accepted name, in the order NanoDet lists them (plus the <c>Swish</c> alias of SiLU).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["ReLU", "LeakyReLU", "ReLU6", "SELU", "ELU", "GELU", "PReLU", "SiLU", "Swish", "HardSwish", "Hardswish"];

    /// <summary>True when <paramref name="name"/> is an accepted activation name (case-sensitive, as NanoDet).</summary>
    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Throws a <see cref="ConfigurationException"/> naming <paramref name="key"/> if the name is unknown.</summary>
    public static void Validate(string? name, string key)
    {
        if (name is not null && !IsKnown(name))
            throw new ConfigurationException($"{key}: unknown activation '{name}'; available: {string.Join(", ", Names)}");
    }

    /// <summary>
    /// A new activation layer ([*] → [*]), or null for a null/empty name (no activation).
    /// <paramref name="key"/> names the config key in the error for an unknown name.
    /// </summary>
    public static nn.Module<Tensor, Tensor>? Create(string? name, string key = "activation")
    {
        if (string.IsNullOrEmpty(name)) return null;
        return name switch
        {
            "ReLU" => nn.ReLU(),
            "LeakyReLU" => nn.LeakyReLU(LeakySlope),
            "ReLU6" => nn.ReLU6(),
            "SELU" => nn.SELU(),
            "ELU" => nn.ELU(),
            "GELU" => nn.GELU(),
            "PReLU" => nn.PReLU(1),
            "SiLU" or "Swish" => nn.SiLU(),
            "HardSwish" or "Hardswish" => nn.Hardswish(),
            _ => throw new ConfigurationException($"{key}: unknown activation '{name}'; available: {string.Join(", ", Names)}"),
        };
    }
}
