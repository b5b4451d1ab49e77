namespace NanoDet.Export;

/// <summary>What <c>nanodet export --format onnx</c> writes.</summary>
/// <param name="Width">Network input width (a multiple of 32).</param>
/// <param name="Height">Network input height (a multiple of 32).</param>
/// <param name="Decode">Also decode in the graph: output [B, N, C + 4 + 2·points] in input pixels.</param>
/// <param name="DynamicBatch">Symbolic batch dimension on the input and output.</param>
/// <param name="Opset">ai.onnx opset (11 as NanoDet's exporter).</param>
public sealed record OnnxExportOptions(int Width, int Height, bool Decode = false, bool DynamicBatch = false, int Opset = 11);
