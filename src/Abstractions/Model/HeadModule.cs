using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>
/// A <c>head</c> or <c>aux_head</c> plugin product: pyramid maps → raw predictions [B, N, K] with K =
/// <see cref="HeadLayout.Channels"/>: class logits (no sigmoid), then bin logits; priors in stride order and
/// row-major inside a level.
/// </summary>
public abstract class HeadModule(string name) : nn.Module<Tensor[], Tensor>(name)
{
    public abstract HeadLayout Layout { get; }

    /// <summary>Channels expected on every input level, or null when unchecked (validated against the neck by the builder).</summary>
    public virtual int? InChannels => null;
}
