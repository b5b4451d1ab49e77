using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Geometry;

/// <summary>
/// Center priors (docs/reference.md#priors): for each stride s, an integer grid of ceil(H/s) × ceil(W/s) points at
/// (x·s, y·s), the top-left corner of each cell (no +0.5 offset), row-major, levels in stride order.
/// </summary>
public static class PriorGrid
{
    /// <summary>Rows and columns of one level: ceil(H/s), ceil(W/s) (integer ceil; docs/reference.md#priors).</summary>
    public static (int Rows, int Cols) LevelSize(int height, int width, int stride) =>
        ((height + stride - 1) / stride, (width + stride - 1) / stride);

    /// <summary>Every prior as (cx, cy, stride), in output order.</summary>
    public static IEnumerable<(float Cx, float Cy, int Stride)> Enumerate(int height, int width, IReadOnlyList<int> strides)
    {
        foreach (var s in strides)
        {
            var (rows, cols) = LevelSize(height, width, s);
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    yield return (x * s, y * s, s);
        }
    }

    /// <summary>Priors as a tensor [N, 4] of (cx, cy, stride_w, stride_h), float32 on <paramref name="device"/>.</summary>
    public static Tensor Priors(int height, int width, IReadOnlyList<int> strides, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var levels = new List<Tensor>(strides.Count);
        foreach (var s in strides)
        {
            var (rows, cols) = LevelSize(height, width, s);
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
