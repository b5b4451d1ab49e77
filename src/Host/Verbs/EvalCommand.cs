using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Cli;
using NanoDet.Host.Evaluation;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet eval --annotations GT.json --detections DETS.json [--json OUT] [--plots DIR]</c>: COCO bbox
/// metrics (pycocotools semantics), per-class AP and corner metrics of precomputed results, no model. The
/// evaluator is the <c>evaluator</c> plugin of the configuration (default <c>CocoDetectionEvaluator</c>).
/// <c>--checkpoint</c> (evaluate a model on the val split) is not built yet and exits 2.
/// </summary>
public static class EvalCommand
{
    /// <summary>Used when the configuration names no evaluator.</summary>
    public const string DefaultEvaluator = "CocoDetectionEvaluator";

    public static Command Build(CommandRunner runner)
    {
        var annotations = new Option<string?>("--annotations") { Description = "COCO ground-truth JSON (images, annotations, categories)", HelpName = "GT.json" };
        var detections = new Option<string?>("--detections") { Description = "COCO results JSON: [{image_id, category_id, bbox [x,y,w,h], score, points?}]", HelpName = "DETS.json" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Evaluate a checkpoint on the configured val split (not available yet)", HelpName = "CKPT" };
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
                return Task.FromResult(CommandRunner.NotAvailable("eval --checkpoint"));
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

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("run 'nanodet eval --help' for usage");
        return ExitCodes.Usage;
    }
}
