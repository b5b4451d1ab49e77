namespace NanoDet.Abstractions.Export;

/// <summary>
/// A module that writes its own inference (eval-mode) computation into an ONNX graph. Implemented by every
/// module of the built-in network so <c>nanodet export --format onnx</c> needs no tracer; a third-party plugin
/// module implements it the same way (usually by calling <see cref="IOnnxGraphBuilder.Module(TorchSharp.torch.nn.Module, OnnxValue)"/>
/// on its children and a few of the builder's ops).
/// </summary>
public interface IOnnxExportable
{
    /// <summary>
    /// Emits this module's forward pass: the same inputs and outputs, in the same order, as <c>forward</c>
    /// (a backbone: [B, 3, H, W] → one map per stage; a neck: maps → maps; a head: maps → [B, N, K]).
    /// </summary>
    IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs);
}
