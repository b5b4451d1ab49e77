using NanoDet.Abstractions.Data;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>Batch ground truth for the loss, with the padded input size priors are generated from.</summary>
public sealed record DetectionTargets(IReadOnlyList<ImageTargets> Images, int InputHeight, int InputWidth)
{
    /// <summary>
    /// Builds tensors from a batch's prepared samples (crowd regions are not targets). Tensors are created in
    /// the caller's dispose scope on <paramref name="device"/>.
    /// </summary>
    public static DetectionTargets FromBatch(DetectionBatch batch, Device device, bool withPoints)
    {
        var list = new List<ImageTargets>(batch.Count);
        foreach (var s in batch.Samples)
        {
            var objs = s.Targets.Where(a => !a.IsCrowd).ToArray();
            var boxes = new float[objs.Length * 4];
            var labels = new long[objs.Length];
            var pts = new float[objs.Length * 8];
            for (int i = 0; i < objs.Length; i++)
            {
                var b = objs[i].Box;
                boxes[i * 4] = b.X1; boxes[i * 4 + 1] = b.Y1; boxes[i * 4 + 2] = b.X2; boxes[i * 4 + 3] = b.Y2;
                labels[i] = objs[i].Label;
                // A corner-less object under a corner head: corners of its box, so targets stay defined.
                var q = objs[i].Points ?? new Quad(new(b.X1, b.Y1), new(b.X1, b.Y2), new(b.X2, b.Y2), new(b.X2, b.Y1));
                q.ToArray().CopyTo(pts, i * 8);
            }
            list.Add(new ImageTargets(
                tensor(boxes, [objs.Length, 4], device: device),
                tensor(labels, [objs.Length], device: device),
                withPoints ? tensor(pts, [objs.Length, 8], device: device) : null));
        }
        return new DetectionTargets(list, batch.Height, batch.Width);
    }
}
