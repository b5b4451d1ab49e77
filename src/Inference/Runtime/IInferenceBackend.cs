namespace NanoDet.Inference.Runtime;

/// <summary>
/// One way of running the network (TorchSharp, ONNX Runtime, OpenCV DNN): normalised BGR input in, NanoDet's raw
/// output (or the decoded variant) out. Pre- and post-processing are shared, so backends differ only here.
/// </summary>
public interface IInferenceBackend : IDisposable
{
    /// <summary><c>torch</c>, <c>onnxruntime</c> or <c>opencv</c>.</summary>
    string Name { get; }

    /// <summary>True when the output is the decoded variant [B, N, C + 4 + 2·points] (an ONNX file exported with <c>--decode</c>).</summary>
    bool Decoded { get; }

    /// <summary>Runs one batch.</summary>
    /// <param name="input">float32 [B, 3, H, W] row-major, normalised BGR.</param>
    /// <param name="batch">B.</param>
    /// <param name="height">H (padded network input).</param>
    /// <param name="width">W.</param>
    /// <returns>[B, N, K] row-major and its shape.</returns>
    BackendOutput Run(float[] input, int batch, int height, int width);
}
