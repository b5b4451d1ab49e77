using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Geometry;

/// <summary>The priors of <see cref="PriorPoints"/> as one tensor, for training.</summary>
public static class PriorGrid
{
    /// <summary>Priors as a tensor [N, 4] of (cx, cy, stride_w, stride_h), float32 on <paramref name="device"/>.</summary>
    public static Tensor Priors(int height, int width, IReadOnlyList<int> strides, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var levels = new List<Tensor>(strides.Count);
        foreach (var s in strides)
        {
            var (rows, cols) = PriorPoints.LevelSize(height, width, s);
            var xs = arange(cols, dtype: float32, device: device) * s;
            var ys = arange(rows, dtype: float32, device: device) * s;
            var gx = xs.unsqueeze(0).expand(rows, cols).reshape(-1);
            var gy = ys.unsqueeze(1).expand(rows, cols).reshape(-1);
            var st = full(rows * cols, s, dtype: float32, device: device);
            levels.Add(stack([gx, gy, st, st], dim: 1));
        }
        return cat(levels, 0).MoveToOuterDisposeScope();
    }
}
