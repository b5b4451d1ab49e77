using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>
/// Marks an options class whose config section also configures another plugin, as NanoDet's dataset section
/// (<c>data:train</c>) configures both the dataset and its augmentation pipeline. Keys listed in
/// <see cref="ForeignKeys"/> belong to the other plugin and are not reported as unused. With no keys listed,
/// every top-level key this class does not bind is treated as foreign (nested option objects are still checked).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class SharedSectionAttribute(params string[] foreignKeys) : Attribute
{
    /// <summary>Top-level keys owned by the other plugin; empty = all keys this class does not bind.</summary>
    public IReadOnlyList<string> ForeignKeys { get; } = foreignKeys;

    /// <summary>True when <paramref name="key"/> is not this class's to report.</summary>
    public bool IsForeign(string key) =>
        ForeignKeys.Count == 0 || ForeignKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
}
