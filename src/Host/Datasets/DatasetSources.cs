using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training;

namespace NanoDet.Host.Datasets;

/// <summary>
/// Where the data verbs get a dataset: the configured split (<c>data:train</c>, <c>data:val</c>) or files named on
/// the command line (<c>--from FORMAT --input PATH [--images DIR]</c>), both built through the plugin resolver.
/// </summary>
internal static class DatasetSources
{
    /// <summary>The configured section of a split; a clear error when it is missing.</summary>
    public static IConfigurationSection Configured(IConfiguration config, string split)
    {
        var s = config.GetSection($"data:{split}");
        if (!s.Exists())
            throw new ConfigurationException($"data:{split}: no dataset configured (set data:{split}:name, or pass --from and --input)");
        return s;
    }

    /// <summary>The path of a dataset section built for files named on the command line (errors name its keys).</summary>
    private const string AdHocSection = "input";

    /// <summary>An in-memory dataset section for files named on the command line.</summary>
    /// <param name="format">xml, coco or txt.</param>
    /// <param name="input">Annotation folder (xml, txt) or file (coco).</param>
    /// <param name="images">Image folder; default: <c>images</c> beside the input.</param>
    /// <param name="pointOrder">Corner order in the files, or null for the default.</param>
    /// <param name="layout">txt layout, or null for auto.</param>
    /// <param name="classNames">Class names, or null (plugin default / file categories / classes.txt).</param>
    /// <param name="strict">Stop at the first problem.</param>
    public static IConfigurationSection AdHoc(string format, string input, string? images, string? pointOrder, string? layout,
        IReadOnlyList<string>? classNames, bool strict)
    {
        var full = Path.GetFullPath(input);
        bool isFile = format == DatasetFormats.Coco;
        if (isFile ? !File.Exists(full) : !Directory.Exists(full))
            throw new ConfigurationException($"--input: {(isFile ? "file" : "folder")} not found: {full}");
        var img = images is null ? DefaultImages(format, full) : Path.GetFullPath(images);
        if (!Directory.Exists(img))
            throw new ConfigurationException($"--images: folder not found: {img}{(images is null ? " (the default; pass --images)" : "")}");
        var values = new Dictionary<string, string?>
        {
            [$"{AdHocSection}:{DatasetKeys.Name}"] = DatasetFormats.PluginName(format),
            [$"{AdHocSection}:{DatasetKeys.ImagePath}"] = img,
            [$"{AdHocSection}:{DatasetKeys.AnnotationPath}"] = full,
            [$"{AdHocSection}:{DatasetKeys.Strict}"] = strict ? "true" : "false",
        };
        if (pointOrder is not null) values[$"{AdHocSection}:{DatasetKeys.PointOrder}"] = pointOrder;
        if (layout is not null) values[$"{AdHocSection}:{DatasetKeys.Layout}"] = layout;
        if (classNames is not null)
            for (int i = 0; i < classNames.Count; i++) values[$"{AdHocSection}:{DatasetKeys.ClassNames}:{i}"] = classNames[i];
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(AdHocSection);
    }

    /// <summary>
    /// Default image folder: for txt labels in a folder called <c>labels</c>, the sibling <c>images</c>; for xml, the
    /// sibling <c>images</c> of the annotation folder; for coco, <c>images</c> beside the JSON file.
    /// </summary>
    public static string DefaultImages(string format, string input)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(input);
        var parent = Path.GetDirectoryName(trimmed) ?? ".";
        return format switch
        {
            DatasetFormats.Coco => Path.Combine(parent, "images"),
            DatasetFormats.Txt when !string.Equals(Path.GetFileName(trimmed), "labels", StringComparison.OrdinalIgnoreCase) => trimmed,
            _ => Path.Combine(parent, "images"),
        };
    }

    /// <summary>Builds the dataset under a progress display.</summary>
    public static IDetectionDataset Load(IPluginResolver resolver, IConfigurationSection section) =>
        ConsoleProgress.Run(_ => resolver.Create<IDetectionDataset>(PluginKind.Dataset, section));

    /// <summary>Top-level <c>class_names</c> of the configuration, or null.</summary>
    public static IReadOnlyList<string>? ConfiguredClassNames(IConfiguration config)
    {
        var names = config.GetSection(DatasetKeys.ClassNames).GetChildren()
            .OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
            .Select(c => c.Value ?? "").ToArray();
        return names.Length > 0 ? names : null;
    }
}
