using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Cli;
using NanoDet.Host.Datasets;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training;
using Spectre.Console;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet synth --output DIR --count N [--val-count M] [--seed S] [--format xml,coco,txt] [--force]</c>:
/// writes the synthetic armor dataset (the generator settings of the configured SyntheticArmor split, with count
/// and seed from the command line) as <c>DIR/train</c> (and <c>DIR/val</c>): <c>images/</c>, <c>xml/</c>,
/// <c>annotations.json</c>, <c>labels/</c> (SJTU txt + classes.txt), plus <c>DIR/dataset.yml</c> to use it with
/// <c>--config</c>.
/// </summary>
internal sealed class SynthCommand(IConfiguration config, IPluginResolver resolver)
{
    public static Command Build(CommandRunner runner)
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder to create", Required = true };
        var count = new Option<int>("--count") { Description = "Training images", Required = true };
        var valCount = new Option<int>("--val-count") { Description = "Validation images (0 = none)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int?>("--seed") { Description = "Seed (default: the configured one, else 0); same seed, same bytes" };
        var formats = new Option<string>("--format") { Description = "Comma-separated formats to write: xml, coco, txt", DefaultValueFactory = _ => "xml,coco,txt" };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists" };
        var cmd = new Command("synth", "Write the synthetic armor dataset (images + XML with points + COCO JSON + SJTU txt)");
        foreach (var o in new Option[] { output, count, valCount, seed, formats, force }) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var settings = new Settings(parse.GetValue(output)!, parse.GetValue(count), parse.GetValue(valCount), parse.GetValue(seed),
                parse.GetValue(formats)!, parse.GetValue(force));
            return runner.RunAsync<SynthCommand>(parse, "synth", logToFile: false, (verb, token) => Task.FromResult(verb.Run(settings, token)));
        });
        return cmd;
    }

    private sealed record Settings(string Output, int Count, int ValCount, int? Seed, string Formats, bool Force);

    private int Run(Settings s, CancellationToken token)
    {
            int n = s.Count, nVal = s.ValCount;
            if (n < 1) throw new ConfigurationException($"--count: {n} must be at least 1");
            if (nVal < 0) throw new ConfigurationException($"--val-count: {nVal} must not be negative");
            var wanted = s.Formats.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(f => DatasetFormats.Parse(f, "--format")).Distinct().ToArray();
            if (wanted.Length == 0) throw new ConfigurationException("--format: name at least one of xml, coco, txt");
            var root = Path.GetFullPath(s.Output);
            if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            {
                if (!s.Force) throw new ConfigurationException($"--output: {root} exists and is not empty (use --force to replace it)");
                Directory.Delete(root, recursive: true);
            }

            var splits = new List<(string Name, int Count)> { ("train", n) };
            if (nVal > 0) splits.Add(("val", nVal));
            var written = new List<(string Split, string Format, string ImgPath, string AnnPath)>();
            foreach (var (split, splitCount) in splits)
            {
                token.ThrowIfCancellationRequested();
                var folder = Path.Combine(root, split);
                // the generator always writes COCO (it reads its own output back); it drops the file when not asked for
                var section = GeneratorSection(config, split, splitCount, s.Seed, folder, keepCoco: wanted.Contains(DatasetFormats.Coco));
                var ds = ConsoleProgress.Run(_ => resolver.Create<IDetectionDataset>(PluginKind.Dataset, section, DefaultPlugins.SyntheticDataset));
                var images = Path.Combine(folder, GeneratedDatasetLayout.ImagesFolder);
                foreach (var format in wanted)
                {
                    switch (format)
                    {
                        case DatasetFormats.Coco:
                            written.Add((split, format, images, Path.Combine(folder, GeneratedDatasetLayout.AnnotationsFile)));
                            break;
                        case DatasetFormats.Xml:
                            DataCommand.Writer(resolver, format, null, null).Write(ds.Classes, ds.Images, Path.Combine(folder, "xml"));
                            written.Add((split, format, images, Path.Combine(folder, "xml")));
                            break;
                        default:
                            DataCommand.Writer(resolver, format, null, null).Write(ds.Classes, ds.Images, Path.Combine(folder, "labels"));
                            written.Add((split, format, images, Path.Combine(folder, "labels")));
                            break;
                    }
                }
                ConsoleText.Line(AnsiConsole.Console, $"{ds.Report.Summary()} -> {folder}");
            }
            var yml = Path.Combine(root, "dataset.yml");
            File.WriteAllText(yml, DatasetYaml(written, wanted[0], config, splits.Select(x => x.Name)));
            var first = written.First(w => w.Split == "train" && w.Format == wanted[0]);
            ConsoleText.Line(AnsiConsole.Console, $"wrote {yml} (use the data with --config {yml})");
            ConsoleText.Line(AnsiConsole.Console, $"check it with: nanodet data check --from {wanted[0]} --input {first.AnnPath}");
            return ExitCodes.Success;
    }

    /// <summary>
    /// The SyntheticArmor section to generate from: the configured split's keys when it is a SyntheticArmor
    /// section (else the train split's, else the generator defaults), with count, seed, split and output_dir set.
    /// Keys keep their config path so errors name data:&lt;split&gt;.
    /// </summary>
    private static IConfigurationSection GeneratorSection(IConfiguration config, string split, int count, int? seed, string folder, bool keepCoco)
    {
        var source = new[] { config.GetSection($"data:{split}"), config.GetSection("data:train") }
            .FirstOrDefault(s => string.Equals(s[DatasetKeys.Name], DefaultPlugins.SyntheticDataset, StringComparison.Ordinal));
        var prefix = $"data:{split}";
        var values = new Dictionary<string, string?>();
        if (source is not null)
            foreach (var (k, v) in source.AsEnumerable(makePathsRelative: true))
                if (v is not null) values[$"{prefix}:{k}"] = v;
        if (source is null && DatasetSources.ConfiguredClassNames(config) is { } names)
            for (int i = 0; i < names.Count; i++) values[$"{prefix}:{DatasetKeys.ClassNames}:{i}"] = names[i];
        values[$"{prefix}:{DatasetKeys.Name}"] = DefaultPlugins.SyntheticDataset;
        values[$"{prefix}:{DatasetKeys.Count}"] = count.ToString(CultureInfo.InvariantCulture);
        values[$"{prefix}:{DatasetKeys.Split}"] = split;
        if (seed is { } s) values[$"{prefix}:{DatasetKeys.Seed}"] = s.ToString(CultureInfo.InvariantCulture);
        values[$"{prefix}:{DatasetKeys.OutputDir}"] = folder;
        values[$"{prefix}:{DatasetKeys.KeepCoco}"] = keepCoco ? "true" : "false";
        values.Remove($"{prefix}:{DatasetKeys.CacheDir}");
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(prefix);
    }

    /// <summary>A config overlay that points data:train / data:val at the written files.</summary>
    private static string DatasetYaml(List<(string Split, string Format, string ImgPath, string AnnPath)> written, string format,
        IConfiguration config, IEnumerable<string> splits)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Written by 'nanodet synth'. Use the files as a dataset with: nanodet <verb> --config <this file>");
        sb.AppendLine("data:");
        foreach (var split in splits)
        {
            var w = written.First(x => x.Split == split && x.Format == format);
            sb.AppendLine($"  {split}:");
            sb.AppendLine($"    {DatasetKeys.Name}: {DatasetFormats.PluginName(format)}");
            sb.AppendLine($"    {DatasetKeys.ImagePath}: {Quote(w.ImgPath)}");
            sb.AppendLine($"    {DatasetKeys.AnnotationPath}: {Quote(w.AnnPath)}");
            var names = config.GetSection($"data:{split}:{DatasetKeys.ClassNames}").GetChildren().Select(c => c.Value).ToArray();
            if (names.Length == 0) names = config.GetSection($"data:train:{DatasetKeys.ClassNames}").GetChildren().Select(c => c.Value).ToArray();
            if (names.Length > 0) sb.AppendLine($"    {DatasetKeys.ClassNames}: [{string.Join(", ", names.Select(n => Quote(n ?? "")))}]");
            // The overlay names another dataset plugin, so it replaces the configured section whole (config merge
            // rule): carry the network-input keys over so the file works on its own.
            var section = config.GetSection($"data:{split}");
            foreach (var key in new[] { DatasetKeys.InputSize, DatasetKeys.KeepRatio, DatasetKeys.Pipeline })
            {
                var child = section.GetSection(key);
                if (!child.Exists()) continue;
                sb.AppendLine(child.Value is not null
                    ? $"    {key}: {Quote(child.Value)}"
                    : $"    {key}: {Configuration.ConfigJson.FromSection(child)}");
            }
        }
        return sb.ToString();
    }

    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
