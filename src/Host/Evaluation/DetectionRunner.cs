using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Layers;
using NanoDet.Abstractions.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Evaluation;

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
        var layout = model.Layout;
        var result = new List<ImageDetection>();
        var skipped = new List<SkippedItem>();
        Skipped = skipped;
        int done = 0;
        using var _ = no_grad();
        foreach (var batch in loader.Batches(0, cancellation: cancellation))
        {
            skipped.AddRange(batch.Skipped);
            if (batch.Count == 0)
            {
                batch.Dispose();
                continue;
            }
            using (batch)
            using (GcQuietRegion.Enter())
            using (var scope = NewDisposeScope())
            {
                var output = model.forward(batch.Images.to(device)).cpu().contiguous();
                var raw = output.data<float>().ToArray();
                var geometries = batch.Samples.Select(s => new ImageGeometry(s.Warp, s.Source.Width, s.Source.Height)).ToArray();
                var detections = postProcessor.Process(raw, batch.Count, layout, batch.Width, batch.Height, geometries);
                for (int i = 0; i < batch.Count; i++)
                    foreach (var d in detections[i])
                        result.Add(new ImageDetection(batch.Samples[i].Source.Id, d));
                done += batch.Count;
            }
            BatchDone?.Invoke(done);
        }
        return result;
    }

    /// <summary>Detections for every image the loader yields, computed by an inference backend (e.g. ONNX Runtime).</summary>
    public List<ImageDetection> Run(Inference.IInferenceBackend backend, HeadLayout layout, IBatchLoader loader, CancellationToken cancellation)
    {
        var result = new List<ImageDetection>();
        int done = 0;
        foreach (var batch in loader.Batches(0, cancellation: cancellation))
        {
            using (batch)
            {
                var input = batch.Images.contiguous().data<float>().ToArray();
                var output = backend.Run(input, batch.Count, batch.Height, batch.Width);
                var geometries = batch.Samples.Select(s => new ImageGeometry(s.Warp, s.Source.Width, s.Source.Height)).ToArray();
                var detections = postProcessor.Process(output.Values, batch.Count, layout, batch.Width, batch.Height, geometries, backend.Decoded);
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
