using System.Diagnostics;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Preprocessing;
using NanoDet.Inference.Runtime;
using OpenCvSharp;

namespace NanoDet.Host.Inference;

/// <summary>
/// One image in, detections in original pixels out: the dataset pipeline in deterministic mode (resize/warp and
/// normalise, matrix kept), zero padding to the fixed network input (bottom/right, as the loader pads), a backend,
/// and the shared post-process with the inverse warp. Every backend sees exactly the same input tensor.
/// </summary>
internal sealed class Detector(ISamplePipeline pipeline, IInferenceBackend backend, IDetectionPostProcessor postProcessor,
    HeadLayout layout, int inputWidth, int inputHeight)
{
    /// <summary>The backend (its name is reported).</summary>
    public IInferenceBackend Backend { get; } = backend;

    /// <summary>Padded network input width.</summary>
    public int InputWidth { get; } = inputWidth;

    /// <summary>Padded network input height.</summary>
    public int InputHeight { get; } = inputHeight;

    /// <summary>Total time spent in the backend, for the ms/image report.</summary>
    public TimeSpan NetworkTime { get; private set; }

    /// <summary>Detections for <paramref name="bgr"/> (8-bit BGR; not modified).</summary>
    public IReadOnlyList<Detection> Detect(Mat bgr)
    {
        var input = Prepare(bgr, out var geometry);
        var watch = Stopwatch.StartNew();
        var output = Backend.Run(input, 1, InputHeight, InputWidth);
        NetworkTime += watch.Elapsed;
        return postProcessor.Process(output.Values, 1, layout, InputWidth, InputHeight, [geometry], Backend.Decoded)[0];
    }

    /// <summary>The network input [1, 3, H, W] for <paramref name="bgr"/> and how it maps back.</summary>
    public float[] Prepare(Mat bgr, out ImageGeometry geometry)
    {
        var record = new ImageRecord(0, "", "", bgr.Width, bgr.Height, []);
        var sample = pipeline.Prepare(bgr, record, rng: null);
        if (sample.Width > InputWidth || sample.Height > InputHeight)
            throw new InvalidOperationException(
                $"the pipeline produced {sample.Width}x{sample.Height}, larger than the network input {InputWidth}x{InputHeight}");
        geometry = new ImageGeometry(sample.Warp, bgr.Width, bgr.Height);
        return InputTransform.PadBottomRight(sample.Image, sample.Width, sample.Height, InputWidth, InputHeight);
    }
}
