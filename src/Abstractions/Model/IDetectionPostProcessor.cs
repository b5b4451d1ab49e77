namespace NanoDet.Abstractions.Model;

/// <summary>
/// A <c>postprocess</c> plugin product, shared by every inference backend: decode, score threshold,
/// class-aware NMS carrying corners, max detections, warp back to original pixels.
/// </summary>
public interface IDetectionPostProcessor
{
    /// <param name="output">Inference output [B, N, K] row-major (class scores after sigmoid, raw bin logits).</param>
    /// <param name="batch">B.</param>
    /// <param name="layout">Channel layout and strides.</param>
    /// <param name="inputWidth">Padded network input width (priors and clamping use it).</param>
    /// <param name="inputHeight">Padded network input height.</param>
    /// <param name="images">Per image: warp and original size.</param>
    IReadOnlyList<Detection>[] Process(ReadOnlySpan<float> output, int batch, HeadLayout layout,
        int inputWidth, int inputHeight, IReadOnlyList<ImageGeometry> images);
}
