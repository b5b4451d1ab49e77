using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Cli;
using NanoDet.Host.Datasets;
using NanoDet.Host.Model;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training.Data;
using OpenCvSharp;
using Spectre.Console;

namespace NanoDet.Host.Verbs;

/// <summary><c>nanodet data check | preview | convert</c>: inspect, look at and convert datasets.</summary>
internal sealed class DataCommand(IConfiguration config, IPluginResolver resolver)
{
    public static Command Build(CommandRunner runner)
    {
        var cmd = new Command("data", "Inspect, preview and convert datasets (XML with points, COCO with points, SJTU/YOLO-pose txt)");
        cmd.Subcommands.Add(BuildCheck(runner));
        cmd.Subcommands.Add(BuildPreview(runner));
        cmd.Subcommands.Add(BuildConvert(runner));
        return cmd;
    }

    private static Command BuildCheck(CommandRunner runner)
    {
        var input = new DatasetInputOptions();
        var decode = new Option<bool>("--decode") { Description = "Also decode every image up front and list the ones that fail (training leaves them out)" };
        var cmd = new Command("check", "Parse a dataset and report objects per class, skipped items and corners the head cannot represent; exit 1 if nothing is usable");
        input.AddTo(cmd);
        cmd.Options.Add(decode);
        cmd.SetAction((parse, ct) => runner.RunAsync<DataCommand>(parse, "data-check", logToFile: false,
            (verb, _) => Task.FromResult(verb.RunCheck(parse, input, parse.GetValue(decode)))));
        return cmd;
    }

    private static Command BuildPreview(CommandRunner runner)
    {
        var input = new DatasetInputOptions();
        var count = new Option<int>("--count") { Description = "Samples in the grid", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--output", "-o") { Description = "PNG file to write", DefaultValueFactory = _ => "data-preview.png" };
        var seed = new Option<int>("--seed") { Description = "Which images and which augmentation draws", DefaultValueFactory = _ => 0 };
        var noAugment = new Option<bool>("--no-augment") { Description = "Show the validation transform (resize + normalise only)" };
        var cmd = new Command("preview", "Write a PNG grid of samples as the network sees them: boxes, class names, corners numbered 1-4 (TL, BL, BR, TR)");
        input.AddTo(cmd);
        cmd.Options.Add(count);
        cmd.Options.Add(output);
        cmd.Options.Add(seed);
        cmd.Options.Add(noAugment);
        cmd.SetAction((parse, ct) => runner.RunAsync<DataCommand>(parse, "data-preview", logToFile: false,
            (verb, _) => Task.FromResult(verb.RunPreview(parse, input, parse.GetValue(count), parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(noAugment)))));
        return cmd;
    }

    private static Command BuildConvert(CommandRunner runner)
    {
        var input = new DatasetInputOptions();
        var to = new Option<string>("--to") { Description = "Output format: xml, coco or txt", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output folder (xml, txt) or .json file (coco)", Required = true };
        var toOrder = new Option<string?>("--to-point-order") { Description = "Corner order to write (default tl_bl_br_tr)" };
        var toLayout = new Option<string?>("--to-layout") { Description = "txt layout to write: sjtu (default), pose13, pose17" };
        var cmd = new Command("convert", "Convert annotations between XML with points, COCO with points and SJTU/YOLO-pose txt (images stay where they are)");
        input.AddTo(cmd, withDataset: true);
        cmd.Options.Add(to);
        cmd.Options.Add(output);
        cmd.Options.Add(toOrder);
        cmd.Options.Add(toLayout);
        cmd.SetAction((parse, ct) => runner.RunAsync<DataCommand>(parse, "data-convert", logToFile: false,
            (verb, _) => Task.FromResult(verb.RunConvert(parse, input, parse.GetValue(to)!, parse.GetValue(output)!, parse.GetValue(toOrder), parse.GetValue(toLayout)))));
        return cmd;
    }

    private int RunCheck(ParseResult parse, DatasetInputOptions input, bool decode)
    {
        var section = input.Section(parse, config);
        var ds = DatasetSources.Load(resolver, section);
        var pipeline = DataFactory.PipelineOf(resolver, PipelineSection(parse, input, config, section));
        return DataCheck.Run(ds, pipeline, ReachRule(config, resolver), AnsiConsole.Console, decode);
    }

    private int RunPreview(ParseResult parse, DatasetInputOptions input, int count, string output, int seed, bool noAugment)
    {
        int n = count;
        if (n < 1 || n > 256) throw new ConfigurationException($"--count: {n} is not between 1 and 256");
        var section = input.Section(parse, config);
        var ds = DatasetSources.Load(resolver, section);
        if (ds.Images.Count == 0) throw new InputDataException($"{ds.Report.Source}: no usable images ({ds.Report.Summary()})");
        var pipeSection = PipelineSection(parse, input, config, section);
        var pipeline = DataFactory.PipelineOf(resolver, pipeSection);
        bool augment = !noAugment && !string.Equals(input.Split(parse), "val", StringComparison.OrdinalIgnoreCase);
        var rng = new Random(seed);
        var picks = Enumerable.Range(0, ds.Images.Count).OrderBy(_ => rng.Next()).Take(n).ToArray();
        var tiles = new List<Mat>();
        int mosaics = 0;
        var captions = new List<string>();
        try
        {
            foreach (var i in picks)
            {
                var record = ds.Images[i];
                using var img = ds.ReadImage(record);
                var draw = augment ? new Random(HashCombine(seed, i)) : null;
                // mosaic and mixup (when configured) as in the first training epoch
                var sample = draw is not null && pipeline is IMixingSamplePipeline mixing
                    ? mixing.Prepare(img, record, draw, ds, epoch: 0, totalEpochs: 0)
                    : pipeline.Prepare(img, record, draw);
                tiles.Add(PreviewRenderer.Draw(sample.Image, sample.Width, sample.Height, sample.Targets, ds.Classes, pipeline.Normalization));
                captions.Add($"{sample.Source.FileName} ({sample.Targets.Count})");
                if (!ReferenceEquals(sample.Source, record)) mosaics++; // a mosaic sample carries its canvas's record
            }
            using var grid = PreviewRenderer.Grid(tiles, captions);
            var file = Path.GetFullPath(output);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (!Cv2.ImWrite(file, grid)) throw new InputDataException($"{file}: cannot write the image");
            ConsoleText.Line(AnsiConsole.Console, $"wrote {file} ({tiles.Count} samples, {(augment ? "augmented" : "validation transform")}{(mosaics > 0 ? $", {mosaics} mosaics" : "")}, corners 1-4 = TL, BL, BR, TR)");
        }
        finally
        {
            foreach (var t in tiles) t.Dispose();
        }
        return ExitCodes.Success;
    }

    private int RunConvert(ParseResult parse, DatasetInputOptions input, string to, string output, string? toOrder, string? toLayout)
    {
        var format = DatasetFormats.Parse(to, "--to");
        var target = Path.GetFullPath(output);
        if (format == DatasetFormats.Coco && Directory.Exists(target))
            throw new ConfigurationException($"--output: {target} is a folder; COCO output is one .json file");
        if (format != DatasetFormats.Coco && File.Exists(target))
            throw new ConfigurationException($"--output: {target} is a file; {format} output is a folder");
        var ds = DatasetSources.Load(resolver, input.Section(parse, config));
        var writer = Writer(resolver, format, toOrder, toLayout);
        int written = writer.Write(ds.Classes, ds.Images, target);
        int total = ds.Images.Sum(r => r.Annotations.Count);
        ConsoleText.Line(AnsiConsole.Console, ds.Report.Summary());
        ConsoleText.Line(AnsiConsole.Console, $"wrote {ds.Images.Count} images, {written} objects as {format} to {target}");
        if (written < total)
            Console.Error.WriteLine($"warning: {total - written} crowd regions or point-less objects cannot be written as {format} and were left out");
        return ExitCodes.Success;
    }

    /// <summary>A writer plugin for a CLI format name.</summary>
    public static IDatasetWriter Writer(IPluginResolver resolver, string format, string? pointOrder, string? layout)
    {
        var values = new Dictionary<string, string?>();
        if (pointOrder is not null) values[$"writer:{DatasetKeys.PointOrder}"] = pointOrder;
        if (layout is not null) values[$"writer:{DatasetKeys.Layout}"] = layout;
        var section = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("writer");
        return resolver.Create<IDatasetWriter>(PluginKind.DatasetWriter, section, DatasetFormats.PluginName(format));
    }

    /// <summary>
    /// The section the pipeline binds from: the dataset's own section when it comes from the config, else the
    /// configured split's (files named on the command line are previewed with that split's pipeline).
    /// </summary>
    private static IConfigurationSection PipelineSection(ParseResult parse, DatasetInputOptions input, IConfiguration config, IConfigurationSection dataset)
    {
        if (!input.UsesFiles(parse)) return dataset;
        var configured = config.GetSection($"data:{input.Split(parse)}");
        if (configured["input_size:0"] is not null) return configured;
        // no configured split: NanoDet's defaults at the armor profile's size
        return new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["pipeline:input_size:0"] = "416",
            ["pipeline:input_size:1"] = "416",
        }).Build().GetSection("pipeline");
    }

    /// <summary>
    /// Strides, reg_max and corner encoding of the configured head and its assigner's candidate rule, as the head
    /// plugin's options declare them (<see cref="IHeadContract"/>, its defaults included); a bad value exits 2 naming
    /// the key.
    /// </summary>
    public static CornerReachRule ReachRule(IConfiguration config, IPluginResolver resolver)
    {
        var section = config.GetSection($"{DetectorBuilder.ArchSection}:head");
        var head = resolver.Options(PluginKind.Head, section) as IHeadContract
            ?? throw new ConfigurationException($"{section.Path}:name: head plugin '{section["name"]}' does not declare its layout (strides, reg_max, corner encoding)");
        var layout = head.Layout;
        return new CornerReachRule(layout.Strides, layout.RegMax, layout.CornerEncoding, head.CandidateCenterRadius);
    }

    private static int HashCombine(int a, int b) => unchecked((a * 1_000_003) ^ (b * 7_919) ^ 0x5bd1e995);
}
