using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>
/// Declares a class as a plugin with a registry <paramref name="kind"/> (see <see cref="PluginKind"/>) and a
/// <paramref name="name"/> that configs refer to (NanoDet's names: <c>ShuffleNetV2</c>, <c>GhostPAN</c>, ...).
/// The host scans built-in and external plugin assemblies for this attribute; (kind, name) must be unique.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NanoDetPluginAttribute(string kind, string name) : Attribute
{
    public string Kind { get; } = kind;
    public string Name { get; } = name;

    /// <summary>One line shown by <c>nanodet plugins</c>.</summary>
    public string? Description { get; init; }
}
