using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Cli;
using NanoDet.Host.Data;
using NanoDet.Host.Evaluation;
using NanoDet.Host.Inference;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using Microsoft.Extensions.Logging;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet eval --annotations GT.json --detections DETS.json [--json OUT] [--plots DIR]</c>: COCO bbox
/// metrics (pycocotools semantics), per-class AP and corner metrics of precomputed results, no model.
/// <c>nanodet eval --checkpoint CKPT [--json OUT] [--plots DIR]</c>: runs the checkpoint (its embedded config,
/// overridable from the command line) on the configured <c>data:val</c> split and evaluates it the same way.
/// The evaluator is the <c>evaluator</c> plugin of the configuration (default <c>CocoDetectionEvaluator</c>).
/// </summary>
public static class EvalCommand
{
    /// <summary>Used when the configuration names no evaluator.</summary>
    public const string DefaultEvaluator = "CocoDetectionEvaluator";

    public static Command Build(CommandRunner runner)
    {
        var annotations = new Option<string?>("--annotations") { Description = "COCO ground-truth JSON (images, annotations, categories)", HelpName = "GT.json" };
        var detections = new Option<string?>("--detections") { Description = "COCO results JSON: [{image_id, category_id, bbox [x,y,w,h], score, points?}]", HelpName = "DETS.json" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Evaluate a checkpoint (.safetensors, .pth, .ckpt) on the configured data:val split", HelpName = "CKPT" };
        var json = new Option<string?>("--json") { Description = "Also write the metrics, per-class AP and corner metrics as JSON", HelpName = "OUT" };
        var plots = new Option<string?>("--plots") { Description = "Write PR curves and the corner-error histogram (PNG) into this folder", HelpName = "DIR" };
        var cmd = new Command("eval", "COCO mAP (pycocotools semantics), per-class AP and corner metrics of COCO-format detections");
        foreach (var o in new[] { annotations, detections, checkpoint, json, plots }) cmd.Options.Add(o);

        cmd.SetAction((parse, ct) =>
        {
            string? gt = parse.GetValue(annotations), dt = parse.GetValue(detections), ckpt = parse.GetValue(checkpoint);
            if (ckpt is not null)
            {
                if (gt is not null || dt is not null)
                    return Task.FromResult(Usage("use either --checkpoint or --annotations with --detections, not both"));
                return runner.RunAsync(parse, "eval", logToFile: true,
                    (services, token) => Task.FromResult(EvaluateCheckpoint(services, ckpt, parse.GetValue(json), parse.GetValue(plots), token)),
                    embeddedFrom: _ => ckpt);
            }
            if (gt is null || dt is null)
                return Task.FromResult(Usage("eval needs --annotations GT.json and --detections DETS.json"));

            return runner.RunAsync(parse, "eval", logToFile: false, (services, _) =>
            {
                var config = services.GetRequiredService<IConfiguration>();
                var section = config.GetSection("evaluator");
                var evaluator = services.GetRequiredService<IPluginResolver>().Create<IDetectionEvaluator>(
                    PluginKind.Evaluator, section, string.IsNullOrWhiteSpace(section["name"]) ? DefaultEvaluator : null);
                var input = evaluator.ReadCocoFiles(gt, dt);
                string? plotDir = parse.GetValue(plots) is { } p ? Path.GetFullPath(p) : null;
                var report = evaluator.Evaluate(input, plotDir);

                Console.Out.Write(report.Text);
                foreach (var f in report.Files) Console.Out.WriteLine($"plot: {f}");
                if (parse.GetValue(json) is { } jsonPath)
                {
                    EvaluationReportJson.Write(jsonPath, report, new Dictionary<string, string>
                    {
                        ["annotations"] = Path.GetFullPath(gt),
                        ["detections"] = Path.GetFullPath(dt),
                    });
                    Console.Out.WriteLine($"metrics: {Path.GetFullPath(jsonPath)}");
                }
                return Task.FromResult(ExitCodes.Success);
            });
        });
        return cmd;
    }

    private static int EvaluateCheckpoint(IServiceProvider services, string checkpoint, string? jsonPath, string? plots, CancellationToken cancellation)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var resolver = services.GetRequiredService<IPluginResolver>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("NanoDet.Eval");
        var device = DeviceSelector.Resolve(config, log);
        var deviceOptions = OptionsBinder.Bind<DeviceOptions>(config.GetSection("device"));
        var data = new DataFactory(config, resolver, log);
        var validation = ValidationSet.Build(config, resolver, data, "data:val",
            deviceOptions.BatchSizePerGpu, deviceOptions.WorkersPerGpu, seed: 0);
        using var model = DetectorCheckpoint.Load(checkpoint, config, resolver, device, log);
        if (model.Layout.NumClasses != validation.Dataset.Classes.Count)
            throw new ConfigurationException(
                $"data:val: {validation.Dataset.Classes.Count} classes, but the checkpoint's head has {model.Layout.NumClasses}");
        var plotDir = Path.GetFullPath(plots ?? Path.Combine(NanoDetHostFactory.SaveDir(config), "eval"));
        var report = validation.Evaluate(model, device, plotDir, cancellation);
        Console.Out.Write(report.Text);
        foreach (var f in report.Files) Console.Out.WriteLine($"plot: {f}");
        if (jsonPath is not null)
        {
            EvaluationReportJson.Write(jsonPath, report, new Dictionary<string, string>
            {
                ["checkpoint"] = Path.GetFullPath(checkpoint),
                ["dataset"] = validation.Dataset.Report.Source,
                ["images"] = validation.Dataset.Images.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            Console.Out.WriteLine($"metrics: {Path.GetFullPath(jsonPath)}");
        }
        return ExitCodes.Success;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("run 'nanodet eval --help' for usage");
        return ExitCodes.Usage;
    }
}
