using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// Runs a fixed list of layers one after the other, as the <c>nn.Sequential</c> that holds them (and owns their
/// state_dict names) does, with one inference shortcut: in eval mode without autograd, an <see cref="AdaptiveConv2d"/>
/// followed by a <see cref="BatchNorm2d"/> runs as one convolution with the norm folded in
/// (<see cref="AdaptiveConv2d.ForwardFolded"/>), and a ReLU/LeakyReLU right after it is applied in place. In training,
/// or with autograd on, every layer runs as usual. [B, C, H, W] → [B, C', H', W'].
/// </summary>
public sealed class LayerChain
{
    private readonly nn.Module<Tensor, Tensor>[] _layers;
    private readonly InPlaceActivation.Kind[] _kinds;

    /// <param name="layers">The layers in order (the same instances the Sequential holds).</param>
    public LayerChain(IEnumerable<nn.Module<Tensor, Tensor>> layers)
    {
        _layers = layers.ToArray();
        _kinds = _layers.Select(InPlaceActivation.Classify).ToArray();
    }

    /// <summary>The layers of <paramref name="sequential"/>, in order.</summary>
    public static LayerChain Of(Sequential sequential) =>
        new(sequential.children().Cast<nn.Module<Tensor, Tensor>>());

    /// <summary>x through every layer; see the class remarks for the inference shortcut.</summary>
    public Tensor Forward(Tensor x)
    {
        var y = x;
        bool inference = !is_grad_enabled();
        for (int i = 0; i < _layers.Length; i++)
        {
            if (inference && _layers[i] is AdaptiveConv2d conv && i + 1 < _layers.Length && _layers[i + 1] is BatchNorm2d bn
                && conv.ForwardFolded(y, bn) is { } folded)
            {
                y = folded;
                i++;
                if (i + 1 < _layers.Length && _kinds[i + 1] != InPlaceActivation.Kind.Other)
                {
                    i++;
                    y = InPlaceActivation.Apply(_layers[i], _kinds[i], y);
                }
                continue;
            }
            y = _layers[i].forward(y);
        }
        return y;
    }
}
