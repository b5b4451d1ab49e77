using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// A regression loss on decoded distances (the corner-loss alternatives to DFL): pred and target of one shape,
/// in stride units (the integral of the bin distribution and the clamped DFL target).
/// </summary>
public interface IDistanceLoss
{
    /// <summary>Config name (<c>L1Loss</c>, <c>WingLoss</c>).</summary>
    string Name { get; }

    double LossWeight { get; }

    /// <summary>Elementwise loss, same shape as <paramref name="pred"/>.</summary>
    Tensor Elementwise(Tensor pred, Tensor target);

    /// <summary>Scalar: loss_weight · Σ weight·ℓ / <paramref name="avgFactor"/>; weight of pred's shape or null.</summary>
    Tensor Forward(Tensor pred, Tensor target, Tensor? weight, double avgFactor);
}
