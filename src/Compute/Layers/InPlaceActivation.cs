using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoDet.Compute.Layers;

/// <summary>
/// Applies an activation layer to a tensor in place, for inference on a tensor nothing else refers to (the fresh
/// output of a folded convolution): one libtorch call and no new buffer. ReLU and LeakyReLU (any slope) are done in
/// place; no layer, <c>Identity</c> and an empty <c>Sequential</c> (NanoDet's "no activation" placeholders) do nothing;
/// any other layer is not handled and the caller runs it as usual.
/// </summary>
public static class InPlaceActivation
{
    /// <summary>What an activation layer is, decided once per layer.</summary>
    public enum Kind
    {
        /// <summary>Not an in-place candidate: run the layer's forward.</summary>
        Other,
        /// <summary>No activation (null, Identity, empty Sequential).</summary>
        None,
        /// <summary>ReLU.</summary>
        Relu,
        /// <summary>LeakyReLU (with its own slope).</summary>
        LeakyRelu,
    }

    /// <summary>The kind of <paramref name="layer"/>.</summary>
    public static Kind Classify(nn.Module? layer) => layer switch
    {
        null or Identity => Kind.None,
        Sequential s when !s.children().Any() => Kind.None,
        ReLU => Kind.Relu,
        LeakyReLU => Kind.LeakyRelu,
        _ => Kind.Other,
    };

    /// <summary>
    /// x [*] → the activation of x, written into x when <paramref name="kind"/> allows it (x itself is returned);
    /// otherwise the layer's ordinary forward.
    /// </summary>
    public static Tensor Apply(nn.Module<Tensor, Tensor>? layer, Kind kind, Tensor x) => kind switch
    {
        Kind.None => x,
        Kind.Relu => x.relu_(),
        Kind.LeakyRelu => x.leaky_relu_(((LeakyReLU)layer!).negative_slope),
        _ => layer!.forward(x),
    };
}
