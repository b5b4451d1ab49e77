using Google.Protobuf;
using NanoDet.Abstractions.Export;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;

namespace NanoDet.Export;

/// <summary>
/// Writes a detector as ONNX with NanoDet's convention (docs/reference.md#onnx-export-convention, docs/deploy.md): input <c>data</c> [1, 3, H, W]
/// normalised BGR, output <c>output</c> [1, N, C + 12·(R+1)] with sigmoid class scores and raw bin logits (or the
/// decoded variant), BatchNorm folded, no aux branch. The graph comes from the modules' own
/// <see cref="IOnnxExportable"/> implementations, not from a tracer.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "data";
    public const string OutputName = "output";

    /// <summary>Builds the graph of <paramref name="model"/> (eval-mode weights) for the given input size.</summary>
    public static OnnxExportResult Export(DetectorModule model, OnnxExportOptions options, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (options.Width <= 0 || options.Height <= 0 || options.Width % 32 != 0 || options.Height % 32 != 0)
            throw new ConfigurationException($"input size {options.Width}x{options.Height}: width and height must be positive multiples of 32");
        if (model is not IOnnxExportable)
            throw new ConfigurationException($"the architecture {model.GetType().Name} does not implement {nameof(IOnnxExportable)}; it cannot be exported");
        model.eval();
        var layout = model.Layout;
        var g = new OnnxGraphBuilder(options.Opset, options.DynamicBatch);
        long[] inputShape = [1, 3, options.Height, options.Width]; // [1, 3, h, w]: NanoDet's exporter swaps them (docs/reference.md#onnx-export-convention)
        var input = g.Input(InputName, inputShape);
        OnnxValue output;
        try
        {
            output = g.Module(model, [input]).Single();
        }
        catch (NotSupportedException e)
        {
            throw new ConfigurationException($"ONNX export: {e.Message}", e);
        }
        long n = layout.PriorCount(options.Height, options.Width);
        if (output.Shape[1] != n || output.Shape[2] != layout.Channels)
            throw new InvalidOperationException($"exported head output {output} does not match [1, {n}, {layout.Channels}]");
        if (options.Decode) output = OnnxDecodeGraph.Append(g, output, layout, options.Width, options.Height);
        output = g.Output(output, OutputName);

        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [OnnxMetadataKeys.NumClasses] = Invariant(layout.NumClasses),
            [OnnxMetadataKeys.RegMax] = Invariant(layout.RegMax),
            [OnnxMetadataKeys.NumPoints] = Invariant(layout.NumPoints),
            [OnnxMetadataKeys.CornerEncoding] = layout.CornerEncoding.ToString().ToLowerInvariant(),
            [OnnxMetadataKeys.Strides] = string.Join(",", layout.Strides),
            [OnnxMetadataKeys.InputSize] = $"{options.Width}x{options.Height}",
            [OnnxMetadataKeys.Decoded] = options.Decode ? "true" : "false",
            [OnnxMetadataKeys.OutputLayout] = options.Decode
                ? "scores[C] (sigmoid), x1,y1,x2,y2, TL.x,TL.y,BL.x,BL.y,BR.x,BR.y,TR.x,TR.y (input pixels)"
                : "scores[C] (sigmoid), then 4+2*points distributions of reg_max+1 bin logits",
        };
        var proto = g.Build("nanodet", meta);
        return new OnnxExportResult(proto, inputShape, output.Shape, g.ConvMacs, g.ConvWeights, g.OpTypes);
    }

    /// <summary>Writes the model atomically (temp file + rename).</summary>
    public static void Write(OnnxExportResult result, string path)
    {
        var bytes = result.Model.ToByteArray();
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static string Invariant(int v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
