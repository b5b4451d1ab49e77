using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Detectors;

/// <summary>
/// Checks that the parts of a detector fit together before any tensor flows, so a wrong channel count in a config is
/// a one-line configuration error naming the key rather than a shape error deep inside a forward pass.
/// </summary>
public static class ArchitectureChecks
{
    /// <summary>The neck's expected inputs must equal the backbone's outputs (<c>fpn:in_channels</c>).</summary>
    public static void NeckFitsBackbone(BackboneModule backbone, NeckModule neck, IConfigurationSection fpnSection)
    {
        if (neck.InChannels is { } expected && !expected.SequenceEqual(backbone.OutChannels))
            throw new ConfigurationException(
                $"{fpnSection.Path}:in_channels: [{string.Join(", ", expected)}] does not match the backbone's output channels " +
                $"[{string.Join(", ", backbone.OutChannels)}]");
    }

    /// <summary>
    /// A head must take <paramref name="inputChannels"/> channels (<c>input_channel</c>) and have one stride per neck
    /// level (<c>strides</c>).
    /// </summary>
    public static void HeadFitsNeck(HeadModule head, NeckModule neck, int inputChannels, IConfigurationSection headSection, string what)
    {
        if (head.InChannels is { } c && c != inputChannels)
            throw new ConfigurationException(
                $"{headSection.Path}:input_channel: {c} does not match {what} ({inputChannels})");
        if (head.Layout.Strides.Count != neck.NumOutputs)
            throw new ConfigurationException(
                $"{headSection.Path}:strides: {head.Layout.Strides.Count} strides [{string.Join(", ", head.Layout.Strides)}] " +
                $"but the neck outputs {neck.NumOutputs} levels");
    }

    /// <summary>The aux head must predict exactly the main head's layout (classes, reg_max, points, strides).</summary>
    public static void AuxMatchesHead(HeadModule head, HeadModule aux, IConfigurationSection auxSection)
    {
        var (m, a) = (head.Layout, aux.Layout);
        string? key = m.NumClasses != a.NumClasses ? "num_classes"
            : m.RegMax != a.RegMax ? "reg_max"
            : m.NumPoints != a.NumPoints ? "num_points"
            : !m.Strides.SequenceEqual(a.Strides) ? "strides"
            : null;
        if (key is null) return;
        string Show(HeadLayout l) => key switch
        {
            "num_classes" => l.NumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "reg_max" => l.RegMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "num_points" => l.NumPoints.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => $"[{string.Join(", ", l.Strides)}]",
        };
        throw new ConfigurationException(
            $"{auxSection.Path}:{key}: {Show(a)} differs from the main head's {Show(m)}; the aux head must predict the same layout");
    }
}
