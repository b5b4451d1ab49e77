using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Abstractions.Model;

/// <summary>A <c>backbone</c> plugin product: [B, 3, H, W] → one feature map per output stage, strides increasing.</summary>
public abstract class BackboneModule(string name) : nn.Module<Tensor, Tensor[]>(name)
{
    /// <summary>Channels of each output map, in stride order (ShuffleNetV2 1.0x: 116, 232, 464).</summary>
    public abstract IReadOnlyList<int> OutChannels { get; }
}
