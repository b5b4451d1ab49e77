using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Host.Model;

/// <summary>Builds the detector named by <c>model:arch:name</c> through the plugin registry.</summary>
internal static class DetectorBuilder
{
    /// <summary>The config section of the architecture.</summary>
    public const string ArchSection = "model:arch";

    /// <summary>
    /// Builds the detector (float32, CPU, freshly initialised) from <paramref name="config"/>'s <c>model:arch</c>
    /// section. Configuration errors (unknown names, bad values, parts that do not fit) throw
    /// <see cref="ConfigurationException"/> naming the key.
    /// </summary>
    public static DetectorModule Build(IConfiguration config, IPluginResolver resolver)
    {
        var section = config.GetSection(ArchSection);
        if (!section.Exists())
            throw new ConfigurationException(
                $"{ArchSection}: missing; available arch plugins: {string.Join(", ", resolver.NamesOf(PluginKind.Arch))}");
        return resolver.Create<DetectorModule>(PluginKind.Arch, section);
    }
}
