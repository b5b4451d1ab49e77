using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Plugins;
using NanoDet.Export;
using NanoDet.Host.Cli;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Plugins;
using NanoDet.Host.Pose;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Runtime;
using NanoDet.Training;
using NanoDet.Training.Data;
using NanoDet.Training.Validation;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet eval --annotations GT.json --detections DETS.json [--json OUT] [--plots DIR]</c>: COCO bbox
/// metrics (pycocotools semantics), per-class AP and corner metrics of precomputed results, no model.
/// <c>nanodet eval --checkpoint CKPT [--json OUT] [--plots DIR]</c>: runs the checkpoint (its embedded config,
/// overridable from the command line) on the configured <c>data:val</c> split and evaluates it the same way.
/// The evaluator is the <c>evaluator</c> plugin of the configuration (default <c>CocoDetectionEvaluator</c>).
/// With a camera (<c>--camera</c>, <c>camera:file</c>, or a synthetic <c>data:val</c> in pinhole mode) and ground
/// truth with poses or corners, the checkpoint mode adds the pose-error table (<see cref="PoseEvaluation"/>).
/// </summary>
internal sealed class EvalCommand(IConfiguration config, IPluginResolver resolver, ILoggerFactory loggers)
{
    public static Command Build(CommandRunner runner)
    {
        var annotations = new Option<string?>("--annotations") { Description = "COCO ground-truth JSON (images, annotations, categories)", HelpName = "GT.json" };
        var detections = new Option<string?>("--detections") { Description = "COCO results JSON: [{image_id, category_id, bbox [x,y,w,h], score, points?}]", HelpName = "DETS.json" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Evaluate a checkpoint (.safetensors, .pth, .ckpt) on the configured data:val split", HelpName = "CKPT" };
        var json = new Option<string?>("--json") { Description = "Also write the metrics, per-class AP and corner metrics as JSON", HelpName = "OUT" };
        var plots = new Option<string?>("--plots") { Description = "Write PR curves and the corner-error histogram (PNG) into this folder", HelpName = "DIR" };
        var backend = new Option<string>("--backend")
        {
            Description = "With --checkpoint: auto (onnxruntime on the CPU, torch on CUDA), torch, onnxruntime or opencv",
            DefaultValueFactory = _ => BackendChoice.Auto,
        };
        backend.AcceptOnlyFromAmong(BackendChoice.Values);
        var camera = new Option<string?>("--camera") { Description = "With --checkpoint: camera calibration for the pose errors (default: camera:file, else the pinhole camera of a synthetic data:val)", HelpName = "CAM.yml" };
        var cmd = new Command("eval", "COCO mAP (pycocotools semantics), per-class AP and corner metrics of COCO-format detections");
        foreach (var o in new Option[] { annotations, detections, checkpoint, json, plots, camera, backend }) cmd.Options.Add(o);

        cmd.SetAction((parse, ct) =>
        {
            string? gt = parse.GetValue(annotations), dt = parse.GetValue(detections), ckpt = parse.GetValue(checkpoint);
            if (ckpt is not null)
            {
                if (gt is not null || dt is not null)
                    return Task.FromResult(Usage("use either --checkpoint or --annotations with --detections, not both"));
                return runner.RunAsync<EvalCommand>(parse, "eval", logToFile: true,
                    (verb, token) => Task.FromResult(verb.EvaluateCheckpoint(ckpt, parse.GetValue(json), parse.GetValue(plots), parse.GetValue(camera),
                        parse.GetValue(backend)!, token)),
                    embeddedFrom: _ => ckpt);
            }
            if (gt is null || dt is null)
                return Task.FromResult(Usage("eval needs --annotations GT.json and --detections DETS.json"));
            if (parse.GetValue(camera) is not null)
                return Task.FromResult(Usage("--camera works with --checkpoint (pose errors need the dataset's records)"));

            string? jsonOut = parse.GetValue(json), plotsOut = parse.GetValue(plots);
            return runner.RunAsync<EvalCommand>(parse, "eval", logToFile: false, (verb, _) => Task.FromResult(verb.EvaluateFiles(gt, dt, jsonOut, plotsOut)));
        });
        return cmd;
    }

    /// <summary>Evaluates a COCO results file against a COCO ground-truth file.</summary>
    private int EvaluateFiles(string gt, string dt, string? json, string? plots)
    {
        var section = config.GetSection("evaluator");
        var evaluator = resolver.Create<IDetectionEvaluator>(
            PluginKind.Evaluator, section, DefaultPlugins.NameOr(section, DefaultPlugins.Evaluator));
        var input = evaluator.ReadCocoFiles(gt, dt);
        string? plotDir = plots is { } p ? Path.GetFullPath(p) : null;
        var report = evaluator.Evaluate(input, plotDir);

        Console.Out.Write(report.Text);
        foreach (var f in report.Files) Console.Out.WriteLine($"plot: {f}");
        if (json is { } jsonPath)
        {
            EvaluationReportJson.Write(jsonPath, report, new Dictionary<string, string>
            {
                ["annotations"] = Path.GetFullPath(gt),
                ["detections"] = Path.GetFullPath(dt),
            });
            Console.Out.WriteLine($"metrics: {Path.GetFullPath(jsonPath)}");
        }
        return ExitCodes.Success;
    }

    private int EvaluateCheckpoint(string checkpoint, string? jsonPath, string? plots, string? cameraFile,
        string backendName, CancellationToken cancellation)
    {
        var log = loggers.CreateLogger("NanoDet.Eval");
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
        var pose = PoseSetup.ForSplit(config, "data:val", validation.Dataset.Classes.Names, cameraFile);
        var detections = Detect(model, validation, data, config, checkpoint, BackendChoice.Resolve(backendName, device, log), device,
            deviceOptions.Threads, plotDir, log, cancellation);
        var report = validation.Evaluator.Evaluate(new EvaluationInput(validation.Dataset.Classes, validation.Dataset.Images, detections), plotDir);
        if (pose is not null) report = AddPose(report, pose, validation.Dataset.Images, detections, plotDir);
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

    /// <summary>
    /// Detections on the split: the TorchSharp model itself, or the exported network (symbolic batch, the loader's
    /// padded input size) on ONNX Runtime (<paramref name="onnxRuntimeThreads"/>: <c>device:threads</c>) or OpenCV DNN.
    /// </summary>
    private static List<ImageDetection> Detect(Abstractions.Model.DetectorModule model, ValidationSet validation, DataFactory data,
        IConfiguration config, string checkpoint, string backendName, TorchSharp.torch.Device device, int onnxRuntimeThreads,
        string plotDir, ILogger log, CancellationToken cancellation)
    {
        if (backendName == BackendChoice.Torch) return validation.Runner.Run(model, validation.Loader, device, cancellation);
        var pipeline = data.Pipeline("data:val");
        var input = pipeline.Input;
        int width = InputPadding.RoundUp(input.Width), height = InputPadding.RoundUp(input.Height);
        Directory.CreateDirectory(plotDir);
        var onnxPath = Path.Combine(plotDir, "model.onnx");
        OnnxModelFile.Write(model, config, pipeline, checkpoint, new OnnxExportOptions(width, height, DynamicBatch: true), onnxPath);
        int decoded = model.Layout.NumClasses + 4 + 2 * model.Layout.NumPoints;
        using IInferenceBackend runner = backendName == BackendChoice.OpenCv
            ? new OpenCvDnnBackend(onnxPath, decoded)
            : new OnnxRuntimeBackend(onnxPath, decoded, onnxRuntimeThreads);
        log.LogInformation("eval: {Backend} on {Path} ({W}x{H}, symbolic batch{Threads})", runner.Name, onnxPath, width, height,
            runner is OnnxRuntimeBackend ort ? "; " + ort.ThreadsText : "");
        return validation.Runner.Run(runner, model.Layout, validation.Loader, cancellation);
    }

    /// <summary>The pose table, metrics and plot appended to the report (see <see cref="PoseEvaluation"/>).</summary>
    private static EvaluationReport AddPose(EvaluationReport report, PoseSetup pose, IReadOnlyList<Abstractions.Data.ImageRecord> images,
        IReadOnlyList<ImageDetection> detections, string plotDir)
    {
        var result = new PoseEvaluation(pose).Compute(images, detections);
        if (result.GroundTruthWithPose == 0) return report;
        var metrics = new Dictionary<string, double>(report.Metrics);
        foreach (var (k, v) in PoseEvaluation.Metrics(result)) metrics[k] = v;
        var files = report.Files.ToList();
        if (PoseErrorPlot.Save(result, plotDir) is { } png) files.Add(png);
        return report with { Metrics = metrics, Text = report.Text + PoseEvaluation.Table(result, pose), Files = files };
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("run 'nanodet eval --help' for usage");
        return ExitCodes.Usage;
    }
}
