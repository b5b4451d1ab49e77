using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training.Validation;

/// <summary>
/// Runs a detector over a deterministic loader and collects post-processed detections in original-image
/// pixels: the common core of validation during training and <c>nanodet eval --checkpoint</c>.
/// </summary>
public sealed class DetectionRunner(IDetectionPostProcessor postProcessor)
{
    /// <summary>Per-batch callback: images done so far.</summary>
    public event Action<int>? BatchDone;

    /// <summary>Images the last run left out because they could not be decoded (file and reason).</summary>
    public IReadOnlyList<SkippedItem> Skipped { get; private set; } = [];

    /// <summary>Detections for every image the loader yields (epoch 0, no augmentation expected).</summary>
    public List<ImageDetection> Run(DetectorModule model, IBatchLoader loader, Device device, CancellationToken cancellation)
    {
        model.eval();
        using var _ = no_grad();
        return Collect(model.Layout, loader, batch =>
        {
            using var quiet = GcQuietRegion.Enter();
            using var scope = NewDisposeScope();
            var output = model.forward(batch.Images.to(device));
            return (TensorArrays.ToFloatArray(output), false);
        }, cancellation);
    }

    /// <summary>Detections for every image the loader yields, computed by an inference backend (e.g. ONNX Runtime).</summary>
    public List<ImageDetection> Run(IInferenceBackend backend, HeadLayout layout, IBatchLoader loader, CancellationToken cancellation) =>
        Collect(layout, loader, batch =>
        {
            var input = TensorArrays.ToFloatArray(batch.Images);
            return (backend.Run(input, batch.Count, batch.Height, batch.Width).Values, backend.Decoded);
        }, cancellation);

    /// <summary>
    /// The loop both runners share: skipped images are recorded, empty batches passed over, and each batch's raw
    /// output ([B, N, K] row-major, or the decoded variant) post-processed back to original-image pixels.
    /// </summary>
    private List<ImageDetection> Collect(HeadLayout layout, IBatchLoader loader,
        Func<DetectionBatch, (float[] Raw, bool Decoded)> run, CancellationToken cancellation)
    {
        var result = new List<ImageDetection>();
        var skipped = new List<SkippedItem>();
        Skipped = skipped;
        int done = 0;
        foreach (var batch in loader.Batches(0, cancellation: cancellation))
        {
            using (batch)
            {
                skipped.AddRange(batch.Skipped);
                if (batch.Count == 0) continue;
                var (raw, decoded) = run(batch);
                var geometries = batch.Samples.Select(s => new ImageGeometry(s.Warp, s.Source.Width, s.Source.Height)).ToArray();
                var detections = postProcessor.Process(raw, batch.Count, layout, batch.Width, batch.Height, geometries, decoded);
                for (int i = 0; i < batch.Count; i++)
                    foreach (var d in detections[i])
                        result.Add(new ImageDetection(batch.Samples[i].Source.Id, d));
                done += batch.Count;
            }
            BatchDone?.Invoke(done);
        }
        return result;
    }
}
