using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Plugins;
using NanoDet.Export;
using NanoDet.Host.Cli;
using NanoDet.Host.Export;
using NanoDet.Host.Inference;
using NanoDet.Host.Model;
using NanoDet.Inference.Errors;
using NanoDet.Training.Data;
using static TorchSharp.torch;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet export --checkpoint CKPT --format onnx|safetensors [--output FILE] [--decode] [--input-size WxH]
/// [--dynamic-batch] [--opset N]</c>: an ONNX graph with NanoDet's convention (our own writer, BatchNorm folded) or
/// self-describing inference weights. The architecture comes from the checkpoint's embedded configuration, or from
/// <c>--config</c> for a PyTorch .pth/.ckpt.
/// </summary>
internal sealed class ExportCommand(IConfiguration config, IPluginResolver resolver, ILoggerFactory loggers)
{
    public static Command Build(CommandRunner runner)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Weights: a checkpoint of this tool (.safetensors) or a PyTorch .pth/.ckpt (architecture from --config)", HelpName = "CKPT", Required = true };
        var format = new Option<string>("--format") { Description = "onnx or safetensors", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx", "safetensors");
        var output = new Option<string?>("--output") { Description = "Output file (default: beside the checkpoint, .onnx or .inference.safetensors)", HelpName = "FILE" };
        var decode = new Option<bool>("--decode") { Description = "ONNX: also decode in the graph; output [1, N, C + 4 + 8]: scores, box x1,y1,x2,y2, corners TL,BL,BR,TR in input pixels" };
        var inputSize = new Option<string?>("--input-size") { Description = "Network input WxH (default: data:val:input_size); multiples of 32", HelpName = "WxH" };
        var dynamicBatch = new Option<bool>("--dynamic-batch") { Description = "ONNX: symbolic batch dimension" };
        var opset = new Option<int>("--opset") { Description = "ONNX opset (11..17)", DefaultValueFactory = _ => 11 };
        var cmd = new Command("export", "Export a checkpoint: ONNX (NanoDet's convention, optional in-graph decode) or inference safetensors");
        foreach (var o in new Option[] { checkpoint, format, output, decode, inputSize, dynamicBatch, opset }) cmd.Options.Add(o);

        cmd.SetAction((parse, ct) =>
        {
            var settings = new Settings(parse.GetValue(checkpoint)!, parse.GetValue(format)!, parse.GetValue(output), parse.GetValue(decode),
                parse.GetValue(inputSize), parse.GetValue(dynamicBatch), parse.GetValue(opset));
            return runner.RunAsync<ExportCommand>(parse, "export", logToFile: false,
                (verb, _) => Task.FromResult(verb.Run(settings)), embeddedFrom: _ => settings.Checkpoint);
        });
        return cmd;
    }

    private sealed record Settings(string Checkpoint, string Format, string? Output, bool Decode, string? InputSize, bool DynamicBatch, int Opset);

    private int Run(Settings s)
    {
        var size = ModelInfo.InputSize(config, s.InputSize, s.Checkpoint);
        if (s.Format == "safetensors")
        {
            if (s.Decode || s.DynamicBatch)
                throw new ConfigurationException("--decode and --dynamic-batch apply to --format onnx only");
            return ExportSafetensors(config, resolver, s.Checkpoint, size, s.Output);
        }
        var options = new OnnxExportOptions(size.Width, size.Height, s.Decode, s.DynamicBatch, s.Opset);
        return ExportOnnx(config, resolver, loggers.CreateLogger("NanoDet.Export"), s.Checkpoint, options, s.Output);
    }

    private static int ExportOnnx(IConfiguration config, IPluginResolver resolver, ILogger log, string ckpt, OnnxExportOptions options, string? output)
    {
        if (options.Opset is < 11 or > 17) throw new ConfigurationException($"--opset: {options.Opset} is not supported (11..17)");
        var path = Path.GetFullPath(output ?? Path.ChangeExtension(ckpt, options.Decode ? ".decoded.onnx" : ".onnx"));
        using var model = DetectorCheckpoint.Load(ckpt, config, resolver, CPU, log);
        // the metadata states the validation pipeline's normalisation when one is configured
        var pipeline = config.GetSection("data:val").Exists() ? new DataFactory(config, resolver, log).Pipeline("data:val") : null;
        var result = OnnxModelFile.Write(model, config, pipeline, ckpt, options, path);
        Console.Out.WriteLine($"onnx: {path} ({new FileInfo(path).Length / 1024.0:F0} KiB, opset {options.Opset})");
        Console.Out.WriteLine($"input: data [{Shape(result.InputShape, options.DynamicBatch)}] normalised BGR");
        Console.Out.WriteLine($"output: output [{Shape(result.OutputShape, options.DynamicBatch)}] " +
                              (options.Decode ? "(scores, x1 y1 x2 y2, TL BL BR TR corners in input pixels)" : "(scores after sigmoid, bin logits)"));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FLOPs: {result.GigaFlops:F3} G (2 × {result.ConvMacs / 1e9:F4} G conv MACs), conv weights {result.ConvWeights:N0}"));
        Console.Out.WriteLine($"ops: {string.Join(", ", result.OpTypes)}");
        return ExitCodes.Success;
    }

    private static int ExportSafetensors(IConfiguration config, IPluginResolver resolver, string ckpt, (int Width, int Height) size, string? output)
    {
        var path = Path.GetFullPath(output ?? Path.ChangeExtension(ckpt, ".inference.safetensors"));
        if (string.Equals(path, Path.GetFullPath(ckpt), StringComparison.Ordinal))
            throw new ConfigurationException("--output: refusing to overwrite the checkpoint being read");
        using var model = DetectorBuilder.Build(config, resolver);
        var classes = ModelInfo.ClassNames(config, ckpt, model.Layout.NumClasses);
        var result = InferenceWeightsExporter.Export(model, ckpt, config, classes, size, path);
        Console.Out.WriteLine($"source: {ckpt}: {result.SourceDescription}");
        Console.Out.WriteLine($"weights used: {result.Weights}");
        Console.Out.WriteLine($"load: {result.Load}");
        Console.Out.WriteLine($"safetensors: {path} ({result.Tensors} tensors, aux branch dropped; config, class names ({classes.Count}), input size {size.Width}x{size.Height} in metadata)");
        return ExitCodes.Success;
    }

    private static string Shape(long[] shape, bool dynamicBatch) =>
        string.Join(", ", shape.Select((d, i) => i == 0 && dynamicBatch ? "batch" : d.ToString(CultureInfo.InvariantCulture)));
}
