using Google.Protobuf;
using NanoDet.Abstractions.Export;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Abstractions.Files;

namespace NanoDet.Host.Export;

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

    /// <summary>Metadata key recording the head's corner encoding (quadrant or signed): a raw graph's corner bins mean nothing without it.</summary>
    public const string CornerEncodingKey = "nanodet:corner_encoding";

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
            ["nanodet:num_classes"] = Invariant(layout.NumClasses),
            ["nanodet:reg_max"] = Invariant(layout.RegMax),
            ["nanodet:num_points"] = Invariant(layout.NumPoints),
            [CornerEncodingKey] = layout.CornerEncoding.ToString().ToLowerInvariant(),
            ["nanodet:strides"] = string.Join(",", layout.Strides),
            ["nanodet:input_size"] = $"{options.Width}x{options.Height}",
            ["nanodet:decoded"] = options.Decode ? "true" : "false",
            ["nanodet:output_layout"] = options.Decode
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
