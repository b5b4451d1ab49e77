using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Inference.Detections;

/// <summary>
/// A <c>postprocess</c> plugin product, shared by every inference backend: decode, score threshold,
/// class-aware NMS carrying corners, max detections, warp back to original pixels.
/// </summary>
public interface IDetectionPostProcessor
{
    /// <param name="output">
    /// Inference output row-major: [B, N, K] with class scores after sigmoid and raw bin logits, or, when
    /// <paramref name="decoded"/>, [B, N, C + 4 + 2·points] with boxes (x1, y1, x2, y2) and corners already in
    /// input pixels (the ONNX <c>--decode</c> variant).
    /// </param>
    /// <param name="batch">B.</param>
    /// <param name="layout">Channel layout and strides.</param>
    /// <param name="inputWidth">Padded network input width (priors and clamping use it).</param>
    /// <param name="inputHeight">Padded network input height.</param>
    /// <param name="images">Per image: warp and original size.</param>
    /// <param name="decoded">True when <paramref name="output"/> already holds decoded boxes and corners.</param>
    IReadOnlyList<Detection>[] Process(ReadOnlySpan<float> output, int batch, HeadLayout layout,
        int inputWidth, int inputHeight, IReadOnlyList<ImageGeometry> images, bool decoded = false);
}
