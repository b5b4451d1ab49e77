using System.CommandLine;
using Microsoft.Extensions.Configuration;
using NanoDet.Host.Datasets;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Verbs;

/// <summary>
/// The options by which a data verb picks its dataset: a configured split (<c>--dataset train|val</c>) or files
/// (<c>--from FORMAT --input PATH [--images DIR] [--point-order O] [--layout L] [--class-names a,b] [--strict]</c>).
/// One instance per command (System.CommandLine symbols have one parent).
/// </summary>
internal sealed class DatasetInputOptions
{
    public Option<string> Dataset { get; } = new("--dataset")
    {
        Description = "Configured split to use: train or val (data:<split>)",
        DefaultValueFactory = _ => "train",
    };

    public Option<string?> From { get; } = new("--from") { Description = "Read files instead of the configured split: xml, coco or txt" };

    public Option<string?> Input { get; } = new("--input") { Description = "Annotations: xml folder, COCO .json file, or txt label folder" };

    public Option<string?> Images { get; } = new("--images") { Description = "Image folder (default: 'images' beside the annotations)" };

    public Option<string?> PointOrder { get; } = new("--point-order") { Description = "Corner order in the files: tl_bl_br_tr (default), tl_tr_br_bl, or indices like 0,3,2,1" };

    public Option<string?> Layout { get; } = new("--layout") { Description = "txt layout: auto (default), sjtu, pose13, pose17" };

    public Option<string?> ClassNames { get; } = new("--class-names") { Description = "Comma-separated class names (default: file categories, classes.txt, class_names, or the 36 armor classes)" };

    public Option<bool> Strict { get; } = new("--strict") { Description = "Stop at the first bad image or object instead of skipping it" };

    public void AddTo(Command cmd, bool withDataset = true)
    {
        if (withDataset) cmd.Options.Add(Dataset);
        foreach (var o in new Option[] { From, Input, Images, PointOrder, Layout, ClassNames, Strict }) cmd.Options.Add(o);
    }

    /// <summary>The configured split name (validated).</summary>
    public string Split(ParseResult parse)
    {
        var s = parse.GetValue(Dataset) ?? "train";
        if (string.IsNullOrWhiteSpace(s) || s.Contains(':'))
            throw new ConfigurationException($"--dataset: '{s}' is not a split name (train, val)");
        return s;
    }

    /// <summary>True when files were named on the command line.</summary>
    public bool UsesFiles(ParseResult parse) => parse.GetValue(From) is not null || parse.GetValue(Input) is not null;

    /// <summary>The dataset section: the configured split, or an in-memory section for the named files.</summary>
    public IConfigurationSection Section(ParseResult parse, IConfiguration config)
    {
        if (!UsesFiles(parse)) return DatasetSources.Configured(config, Split(parse));
        var from = parse.GetValue(From) ?? throw new ConfigurationException("--from: required with --input (xml, coco or txt)");
        var input = parse.GetValue(Input) ?? throw new ConfigurationException("--input: required with --from");
        var format = DatasetFormats.Parse(from, "--from");
        var names = ClassNamesFor(parse, config, format, input);
        return DatasetSources.AdHoc(format, input, parse.GetValue(Images), parse.GetValue(PointOrder), parse.GetValue(Layout), names, parse.GetValue(Strict));
    }

    /// <summary>
    /// --class-names, else (xml, txt without classes.txt) the configuration's top-level class_names; COCO files
    /// bring their own categories.
    /// </summary>
    private IReadOnlyList<string>? ClassNamesFor(ParseResult parse, IConfiguration config, string format, string input)
    {
        if (parse.GetValue(ClassNames) is { } list)
            return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (format == DatasetFormats.Coco) return null;
        if (format == DatasetFormats.Txt && File.Exists(Path.Combine(input, "classes.txt"))) return null;
        return DatasetSources.ConfiguredClassNames(config);
    }
}
