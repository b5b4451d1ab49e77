using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Geometry;

/// <summary>
/// The integral over bin distributions (SPEC §2.2): each consecutive group of R+1 logits is softmaxed and
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
        var grouped = logits.reshape([.. lead, groups, bins]);
        var project = linspace(0, regMax, bins, dtype: logits.dtype, device: logits.device);
        var d = nn.functional.softmax(grouped, -1).matmul(project);
        return d.MoveToOuterDisposeScope();
    }
}
