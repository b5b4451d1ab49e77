using NanoDet.Inference.Errors;

namespace NanoDet.Inference.Geometry;

/// <summary>
/// Center priors (docs/reference.md#priors): for each stride s, an integer grid of ceil(H/s) × ceil(W/s) points at
/// (x·s, y·s), the top-left corner of each cell (no +0.5 offset), row-major, levels in stride order. The tensor
/// form used in training is <c>PriorGrid.Priors</c> in Abstractions.
/// </summary>
public static class PriorPoints
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
}
