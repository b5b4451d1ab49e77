using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Export;
using NanoDet.Host.Cli;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Plugins;
using NanoDet.Host.Pose;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;
using NanoDet.Inference.Runtime;
using NanoDet.Training;
using NanoDet.Training.Data;
using NanoDet.Training.Validation;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet predict --checkpoint CKPT --input IMG|DIR|VIDEO [--output DIR] [--backend auto|torch|opencv|onnxruntime]
/// [--onnx FILE] [--draw-threshold 0.35] [--camera CAM.yml]</c>: annotated images or video plus <c>predictions.json</c>. Preprocessing is
/// the <c>data:val</c> pipeline in deterministic mode, post-processing the configured <c>postprocess</c> plugin, for
/// every backend alike. The ONNX backends use <c>--onnx FILE</c> or export the checkpoint into the output folder.
/// </summary>
internal sealed class PredictCommand(IConfiguration config, IPluginResolver resolver, ILoggerFactory loggers)
{
    public static Command Build(CommandRunner runner)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Model weights (.safetensors with embedded config, or .pth/.ckpt with --config)", HelpName = "CKPT", Required = true };
        var input = new Option<string>("--input") { Description = "An image, a folder of images, or a video", HelpName = "IMG|DIR|VIDEO", Required = true };
        var output = new Option<string?>("--output") { Description = "Output folder (default: <save_dir>/predict)", HelpName = "DIR" };
        var backend = new Option<string>("--backend")
        {
            Description = "auto (onnxruntime on the CPU, torch on CUDA), torch (TorchSharp), opencv (OpenCV DNN) or onnxruntime",
            DefaultValueFactory = _ => BackendChoice.Auto,
        };
        backend.AcceptOnlyFromAmong(BackendChoice.Values);
        var onnx = new Option<string?>("--onnx") { Description = "ONNX file for the opencv/onnxruntime backends (default: export the checkpoint into the output folder)", HelpName = "FILE" };
        var camera = new Option<string?>("--camera") { Description = "Camera calibration (OpenCV FileStorage YAML/XML or ROS camera_info YAML): solve each plate's pose by PnP (same as camera:file)", HelpName = "CAM.yml" };
        var threshold = new Option<float>("--draw-threshold") { Description = "Draw detections with at least this score (the JSON has all that the post-process keeps)", DefaultValueFactory = _ => 0.35f };
        var cmd = new Command("predict", "Detect objects and their four corners in images, a folder or a video; write annotated copies and predictions.json");
        foreach (var o in new Option[] { checkpoint, input, output, backend, onnx, threshold, camera }) cmd.Options.Add(o);

        cmd.SetAction((parse, ct) =>
        {
            var ckpt = parse.GetValue(checkpoint)!;
            return runner.RunAsync<PredictCommand>(parse, "predict", logToFile: false, (verb, token) =>
            {
                var settings = new Settings(ckpt, parse.GetValue(input)!, parse.GetValue(output), parse.GetValue(backend)!,
                    parse.GetValue(onnx), parse.GetValue(threshold), parse.GetValue(camera));
                return Task.FromResult(verb.Predict(settings, token));
            }, embeddedFrom: _ => ckpt);
        });
        return cmd;
    }

    private sealed record Settings(string Checkpoint, string Input, string? Output, string Backend, string? Onnx, float DrawThreshold, string? Camera);

    private int Predict(Settings settings, CancellationToken cancellation)
    {
        var s = settings;
        var log = loggers.CreateLogger("NanoDet.Predict");
        if (s.DrawThreshold is < 0 or > 1) throw new ConfigurationException($"--draw-threshold: {s.DrawThreshold} is not in [0, 1]");
        if (s.Onnx is not null && s.Backend == BackendChoice.Torch) throw new ConfigurationException("--onnx needs --backend opencv or onnxruntime");
        var inputs = PredictInput.Resolve(s.Input);
        var outputDir = Path.GetFullPath(s.Output ?? Path.Combine(NanoDetHostFactory.SaveDir(config), "predict"));

        var pipeline = new DataFactory(config, resolver, log).Pipeline("data:val");
        int width = InputPadding.RoundUp(pipeline.Input.Width), height = InputPadding.RoundUp(pipeline.Input.Height);
        var postSection = config.GetSection("postprocess");
        var post = resolver.Create<IDetectionPostProcessor>(PluginKind.PostProcess, postSection,
            DefaultPlugins.NameOr(postSection, DefaultPlugins.PostProcess));

        var device = s.Backend is BackendChoice.Torch or BackendChoice.Auto ? DeviceSelector.Resolve(config, log) : TorchSharp.torch.CPU;
        if (s.Backend == BackendChoice.Auto)
            s = s with { Backend = s.Onnx is not null ? BackendChoice.OnnxRuntime : BackendChoice.Resolve(s.Backend, device, log) };
        using var model = DetectorCheckpoint.Load(s.Checkpoint, config, resolver, device, log);
        var layout = model.Layout;
        var names = ModelInfo.ClassNames(config, s.Checkpoint, layout.NumClasses);
        var pose = PoseSetup.FromConfig(config, s.Camera, names);
        if (pose is not null)
            log.LogInformation("pose: camera {Camera} from {Source}; plates {Plates}", pose.Camera.Describe(), pose.CameraSource, pose.Plates.Describe());
        using var backend = CreateBackend(s, model, device, config, pipeline, width, height, outputDir, log);

        var detector = new Detector(pipeline, backend, post, layout, width, height);
        var painter = new DetectionPainter(names, s.DrawThreshold);
        log.LogInformation("predict: {Kind} {Input} ({Count} file(s)), backend {Backend}, input {W}x{H}, output {Output}",
            inputs.Kind.ToString().ToLowerInvariant(), s.Input, inputs.Files.Count, backend.Name, width, height, outputDir);
        var run = new PredictRun(detector, painter, ClassTable.FromNames(names), outputDir, log, pose);
        var summary = run.Run(inputs, cancellation);

        string unit = inputs.Kind == PredictInputKind.Video ? "frames" : "images";
        double msPerItem = summary.Processed > 0 ? detector.NetworkTime.TotalMilliseconds / summary.Processed : 0;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"predict ({backend.Name}): {summary.Processed} {unit} processed, {summary.Skipped} skipped; {summary.Detections} detections " +
            $"({summary.Drawn} drawn at score >= {s.DrawThreshold:0.##}); {summary.PerSecond:F1} {unit}/s overall, network {msPerItem:F1} ms per {unit[..^1]}"));
        foreach (var f in summary.Outputs.Take(inputs.Kind == PredictInputKind.Video ? 1 : 3)) Console.Out.WriteLine($"output: {f}");
        if (summary.Outputs.Count > 3 && inputs.Kind != PredictInputKind.Video) Console.Out.WriteLine($"output: … {summary.Outputs.Count} annotated images in {outputDir}");
        if (pose is not null) Console.Out.WriteLine($"poses: {summary.Posed} of {summary.Detections} detections solved by PnP ({pose.CameraSource})");
        Console.Out.WriteLine($"results: {summary.ResultsPath}");
        if (summary.Processed == 0)
        {
            Console.Error.WriteLine($"error: {s.Input}: nothing could be read ({summary.Skipped} skipped)");
            return ExitCodes.Failure;
        }
        return ExitCodes.Success;
    }

    private static IInferenceBackend CreateBackend(Settings s, DetectorModule model, TorchSharp.torch.Device device, IConfiguration config,
        ISamplePipeline pipeline, int width, int height, string outputDir, ILogger log)
    {
        var deviceOptions = OptionsBinder.Bind<DeviceOptions>(config.GetSection("device"));
        if (s.Backend == BackendChoice.Torch)
            return new TorchBackend(model, device, forward: deviceOptions.TorchForward, log: line => log.LogInformation("{Line}", line));
        int decodedChannels = model.Layout.NumClasses + 4 + 2 * model.Layout.NumPoints;
        var onnxPath = s.Onnx;
        if (onnxPath is null)
        {
            onnxPath = Path.Combine(outputDir, "model.onnx");
            var result = OnnxModelFile.Write(model, config, pipeline, s.Checkpoint, new OnnxExportOptions(width, height), onnxPath);
            log.LogInformation("exported the checkpoint to {Path} for the {Backend} backend ({Flops:F3} GFLOPs)", onnxPath, s.Backend, result.GigaFlops);
        }
        var info = OnnxFileInfo.Read(onnxPath);
        if (info.InputShape.Length != 4 || info.InputShape[2] != height || info.InputShape[3] != width)
            throw new ConfigurationException(
                $"{onnxPath}: the graph's input is [{string.Join(", ", info.InputShape)}] but the configured network input is " +
                $"[1, 3, {height}, {width}] (data:val:input_size); export with --input-size {width}x{height} or set data:val:input_size");
        var encoding = model.Layout.CornerEncoding.ToString().ToLowerInvariant();
        // files written before the option existed carry no key: they are quadrant graphs
        var recorded = info.Metadata.GetValueOrDefault(OnnxMetadataKeys.CornerEncoding, "quadrant");
        if (!info.IsDecoded(decodedChannels) && model.Layout.NumPoints > 0 && !string.Equals(recorded, encoding, StringComparison.OrdinalIgnoreCase))
            throw new ConfigurationException(
                $"{onnxPath}: the graph's corners use the {recorded} encoding but the checkpoint's head uses {encoding} " +
                $"(model:arch:head:corner_encoding); export the ONNX file again from this checkpoint");
        int expected = info.IsDecoded(decodedChannels) ? decodedChannels : model.Layout.Channels;
        if (info.OutputShape.Length != 3 || info.OutputShape[2] != expected || info.OutputShape[1] != model.Layout.PriorCount(height, width))
            throw new ConfigurationException(
                $"{onnxPath}: output [{string.Join(", ", info.OutputShape)}] does not fit the checkpoint's head " +
                $"([1, {model.Layout.PriorCount(height, width)}, {model.Layout.Channels}] or decoded {decodedChannels} channels)");
        if (s.Backend == "opencv") return new OpenCvDnnBackend(onnxPath, decodedChannels);
        var runtime = new OnnxRuntimeBackend(onnxPath, decodedChannels, deviceOptions.Threads);
        log.LogInformation("onnxruntime: {Threads} (device:threads)", runtime.ThreadsText);
        return runtime;
    }
}
