using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>NanoDet's weighted reduction: Σ_i weight_i·ℓ_i / avg_factor (the reference's "mean with avg_factor").</summary>
internal static class LossReduction
{
    /// <summary>Elementwise loss [P] (or any shape), optional weight of the same shape → scalar.</summary>
    /// <remarks>
    /// A NaN factor (it is computed from the predictions, so non-finite predictions make it NaN) gives a NaN loss,
    /// which the trainer counts as a non-finite step and skips, instead of an exception that would end the run.
    /// </remarks>
    public static Tensor WeightedSum(Tensor elementwise, Tensor? weight, double avgFactor)
    {
        if (avgFactor <= 0 || double.IsInfinity(avgFactor)) throw new ArgumentOutOfRangeException(nameof(avgFactor), avgFactor, "avg_factor must be positive");
        using var scope = NewDisposeScope();
        var weighted = weight is null ? elementwise : elementwise * weight;
        return (weighted.sum() / avgFactor).MoveToOuterDisposeScope();
    }
}
