using System.Runtime.InteropServices;
using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;

namespace NanoDet.Datasets.Loading;

/// <summary>
/// Stacks prepared samples into one float32 tensor [B, 3, H, W]: zero padding at the bottom and right up to the
/// batch maximum, each side rounded up as <see cref="InputPadding"/> says (docs/reference.md#batching; 0 is the mean colour
/// after normalising).
/// </summary>
public static class BatchCollator
{
    /// <summary>Padded (H, W) of a batch.</summary>
    public static (int H, int W) PaddedSize(IReadOnlyList<PreparedSample> samples)
    {
        int h = samples.Max(s => s.Height), w = samples.Max(s => s.Width);
        return (RoundUp(h), RoundUp(w));
    }

    public static int RoundUp(int v) => InputPadding.RoundUp(v);

    /// <summary>
    /// The batch. Its <see cref="DetectionBatch.Samples"/> keep targets, matrix and record but not the pixels
    /// (those live in the tensor), so a prefetched batch holds its image data once.
    /// </summary>
    /// <param name="samples">The prepared samples (may be empty when every image of the batch failed).</param>
    /// <param name="skipped">Images of the batch left out, carried to the consumer.</param>
    public static DetectionBatch Collate(IReadOnlyList<PreparedSample> samples, IReadOnlyList<SkippedItem>? skipped = null)
    {
        if (samples.Count == 0)
            return new DetectionBatch(torch.zeros([0, 3, InputPadding.Multiple, InputPadding.Multiple], torch.float32), [], skipped);
        var (h, w) = PaddedSize(samples);
        var images = torch.zeros([samples.Count, 3, h, w], torch.float32);
        try
        {
            var dst = MemoryMarshal.Cast<byte, float>(images.bytes);
            for (int b = 0; b < samples.Count; b++)
            {
                var s = samples[b];
                if (s.Image.Length != 3 * s.Width * s.Height)
                    throw new ArgumentException($"sample {b} has {s.Image.Length} values, expected 3·{s.Height}·{s.Width}", nameof(samples));
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < s.Height; y++)
                        s.Image.AsSpan((c * s.Height + y) * s.Width, s.Width)
                            .CopyTo(dst.Slice(((b * 3 + c) * h + y) * w, s.Width));
            }
        }
        catch
        {
            images.Dispose();
            throw;
        }
        return new DetectionBatch(images, samples.Select(s => s with { Image = [] }).ToArray(), skipped);
    }
}
