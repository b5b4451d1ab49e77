using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Onnx;
using NanoDet.Inference.PostProcessing;
using NanoDet.Inference.Preprocessing;
using NanoDet.Inference.Runtime;
using OpenCvSharp;

namespace NanoDet.Inference;

/// <summary>
/// An exported NanoDet-4P model ready to run on frames: everything it needs (classes, input size, normalisation,
/// head layout, corner encoding) comes from the .onnx file's metadata. One image in, detections with boxes and
/// corners in that image's pixels out. Not thread-safe: use one instance per thread.
/// </summary>
public sealed class OnnxDetector : IDisposable
{
    private readonly IInferenceBackend _backend;
    private readonly NanoDetPostProcessor _post;

    private OnnxDetector(OnnxModelInfo model, IInferenceBackend backend, NanoDetPostProcessOptions options)
    {
        Model = model;
        _backend = backend;
        _post = new NanoDetPostProcessor(options);
    }

    /// <summary>What the file says about the model.</summary>
    public OnnxModelInfo Model { get; }

    /// <summary>The runtime in use: <c>onnxruntime</c> or <c>opencv</c>.</summary>
    public string Runtime => _backend.Name;

    /// <summary>ONNX Runtime's intra-op threads as asked for (0: its default); 0 for OpenCV.</summary>
    public int Threads => _backend is OnnxRuntimeBackend ort ? ort.Threads : 0;

    /// <summary>
    /// Opens an exported model. <paramref name="runtime"/> is <c>onnxruntime</c> (default, fastest on a CPU) or
    /// <c>opencv</c> (OpenCV DNN); <paramref name="options"/> sets the score threshold, NMS IoU and the maximum
    /// number of detections (defaults 0.05, 0.6, 100, as in training's validation). <paramref name="threads"/>: ONNX
    /// Runtime's intra-op threads (0: its default, one per physical core; 1 keeps a robot's other work responsive).
    /// </summary>
    public static OnnxDetector Open(string path, string runtime = "onnxruntime", NanoDetPostProcessOptions? options = null, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var model = OnnxModelInfo.Read(path);
        IInferenceBackend backend = runtime switch
        {
            "onnxruntime" => new OnnxRuntimeBackend(path, model.DecodedChannels, threads),
            "opencv" => new OpenCvDnnBackend(path, model.DecodedChannels),
            _ => throw new ArgumentException($"runtime '{runtime}': use onnxruntime or opencv", nameof(runtime)),
        };
        return new OnnxDetector(model, backend, options ?? new NanoDetPostProcessOptions());
    }

    /// <summary>Detections in <paramref name="bgr"/> (8-bit BGR, any size; not modified), best score first.</summary>
    public IReadOnlyList<Detection> Detect(Mat bgr)
    {
        var input = InputTransform.ToNetworkInput(bgr, Model.InputWidth, Model.InputHeight, Model.KeepRatio,
            Model.MeanBgr, Model.StdBgr, out var warp);
        var output = _backend.Run(input, 1, Model.InputHeight, Model.InputWidth);
        var geometry = new ImageGeometry(warp, bgr.Width, bgr.Height);
        return _post.Process(output.Values, 1, Model.Layout, Model.InputWidth, Model.InputHeight, [geometry], _backend.Decoded)[0];
    }

    /// <summary>The class name of a detection's label.</summary>
    public string ClassName(int label) => Model.ClassNames[label];

    public void Dispose() => _backend.Dispose();
}
