using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>An <c>fpn</c> plugin product: backbone maps → pyramid maps [B, OutChannels, H/s, W/s], strides increasing.</summary>
public abstract class NeckModule(string name) : nn.Module<Tensor[], Tensor[]>(name)
{
    /// <summary>Channels of every output level.</summary>
    public abstract int OutChannels { get; }

    /// <summary>Number of output levels (inputs + extra levels).</summary>
    public abstract int NumOutputs { get; }

    /// <summary>
    /// Channels expected from each backbone output, in stride order, or null when the neck accepts any (the
    /// detector builder checks them against the backbone's <see cref="BackboneModule.OutChannels"/>).
    /// </summary>
    public virtual IReadOnlyList<int>? InChannels => null;
}
