using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Runtime;
using NanoDet.Datasets.Coco;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Synthetic;

/// <summary>
/// The built-in default data: synthetic armor frames, generated on first use into a cache folder keyed by a hash
/// of the generator settings (a change regenerates; the same settings reuse the folder), then read like any COCO
/// dataset.
/// </summary>
[NanoDetPlugin(PluginKind.Dataset, "SyntheticArmor", Description = "generated armor-plate scenes (cached); the default data")]
public sealed class SyntheticArmor : PluginFactory<SyntheticArmorOptions, IDetectionDataset>
{
    public override IDetectionDataset Create(SyntheticArmorOptions options, PluginContext context)
    {
        var log = context.Loggers.CreateLogger("NanoDet.Datasets.SyntheticArmor");
        var settings = ArmorGeneratorSettings.From(options, context.Section.Path);
        string folder;
        if (!string.IsNullOrWhiteSpace(options.OutputDir))
        {
            folder = Path.GetFullPath(options.OutputDir);
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                throw new ConfigurationException($"{context.Section.Path}:output_dir: {folder} already exists and is not empty");
            if (Directory.Exists(folder)) Directory.Delete(folder);
            SyntheticGenerator.Generate(settings, folder, options.Workers, log);
        }
        else
        {
            folder = Path.Combine(CacheRoot(options.CacheDir), settings.Key());
            if (SyntheticGenerator.IsComplete(folder)) log.LogInformation("Using cached synthetic data {Folder}", folder);
            else SyntheticGenerator.Generate(settings, folder, options.Workers, log);
        }
        var annotations = Path.Combine(folder, SyntheticGenerator.AnnotationsFile);
        var dataset = CocoDataset.Load(context.Section.Key, Path.Combine(folder, SyntheticGenerator.ImagesFolder),
            annotations, settings.ClassNames, PointOrder.Canonical, options.Rules, options.Strict, log);
        // the cache keeps its file (it marks a complete folder); only a written-out folder may drop it
        if (!string.IsNullOrWhiteSpace(options.OutputDir) && !options.KeepCoco) File.Delete(annotations);
        return dataset;
    }

    /// <summary>
    /// Where generated datasets live: <c>cache_dir</c>, else <c>$NANODET_CACHE/synthetic</c>, else the user cache
    /// folder (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, LocalApplicationData on Windows)/nanodet/synthetic, else
    /// <c>.cache/nanodet/synthetic</c> in the working directory.
    /// </summary>
    public static string CacheRoot(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? Path.GetFullPath(configured) : UserCacheFolder.Resolve("synthetic");
}
