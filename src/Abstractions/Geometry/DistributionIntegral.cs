using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Geometry;

/// <summary>
/// The integral over bin distributions (docs/reference.md#distribution-integral): each consecutive group of R+1 logits is softmaxed and
/// its expectation Σ i·p_i taken, giving a distance in stride units in [0, R].
/// </summary>
public static class DistributionIntegral
{
    /// <summary>[..., G·(R+1)] logits → [..., G] expected bin index.</summary>
    public static Tensor Apply(Tensor logits, int regMax)
    {
        using var scope = NewDisposeScope();
        int bins = regMax + 1;
        var shape = logits.shape;
        long groups = shape[^1] / bins;
        var lead = shape[..^1];
        // Bins as the leading dimension of a [R+1, G] matrix: libtorch's CPU softmax over a short last dimension
        // is several times slower (6.5M logits, one thread: 125 ms last-dim vs 22 ms this way).
        var binsFirst = logits.reshape([.. lead, groups, bins]).movedim([-1], [0]).contiguous().reshape(bins, -1); // [R+1, G]
        var project = linspace(0, regMax, bins, dtype: logits.dtype, device: logits.device).unsqueeze(0); // [1, R+1]
        var d = project.mm(nn.functional.softmax(binsFirst, 0)).reshape([.. lead, groups]);
        return d.MoveToOuterDisposeScope();
    }
}
