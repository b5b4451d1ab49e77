using NanoDet.Abstractions.Export;
using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Backbones;

/// <summary>
/// ShuffleNetV2 unit (docs/reference.md#shufflenetv2-backbone). Sequential indices are kept exactly as torchvision/NanoDet so the state_dict keys
/// match: <c>branch1</c> = [DW 3×3, BN, 1×1, BN, act] (stride 2 only), <c>branch2</c> = [1×1, BN, act, DW 3×3, BN, 1×1,
/// BN, act]. Stride 1 splits the channels in half and transforms only the second half; both cases end with a
/// channel shuffle of 2 groups. All convs are bias-free.
/// </summary>
public sealed class ShuffleV2Block : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    [ComponentName(Name = "branch1")] private readonly Sequential _branch1;
    [ComponentName(Name = "branch2")] private readonly Sequential _branch2;
    private readonly LayerChain _branch1Chain, _branch2Chain;
    private readonly int _stride;

    public ShuffleV2Block(int inp, int oup, int stride, string activation) : base(nameof(ShuffleV2Block))
    {
        if (stride is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(stride), "illegal stride value");
        int bf = oup / 2;
        if (stride == 1 && inp != bf * 2)
            throw new ArgumentException($"a stride-1 block needs in = out channels, got {inp} → {oup}");
        _stride = stride;

        _branch1 = stride > 1
            ? nn.Sequential(
                Depthwise(inp, stride),
                nn.BatchNorm2d(inp),
                new AdaptiveConv2d(inp, bf, 1, bias: false),
                nn.BatchNorm2d(bf),
                Act(activation))
            : nn.Sequential();
        _branch2 = nn.Sequential(
            new AdaptiveConv2d(stride > 1 ? inp : bf, bf, 1, bias: false),
            nn.BatchNorm2d(bf),
            Act(activation),
            Depthwise(bf, stride),
            nn.BatchNorm2d(bf),
            new AdaptiveConv2d(bf, bf, 1, bias: false),
            nn.BatchNorm2d(bf),
            Act(activation));
        register_module("branch1", _branch1);
        register_module("branch2", _branch2);
        (_branch1Chain, _branch2Chain) = (LayerChain.Of(_branch1), LayerChain.Of(_branch2));
    }

    private static AdaptiveConv2d Depthwise(int channels, int stride) =>
        new AdaptiveConv2d(channels, channels, 3, stride: stride, padding: 1, groups: channels, bias: false);

    private static nn.Module<Tensor, Tensor> Act(string activation) =>
        Activation.Create(activation) ?? nn.Identity();

    /// <summary>[B, inp, H, W] → [B, oup, H/stride, W/stride].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor first, second;
        if (_stride == 1)
        {
            var halves = x.chunk(2, dim: 1);
            (first, second) = (halves[0], _branch2Chain.Forward(halves[1]));
        }
        else
        {
            (first, second) = (_branch1Chain.Forward(x), _branch2Chain.Forward(x));
        }
        return ConcatShuffled(first, second).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Concatenation then <see cref="ChannelShuffle"/> with 2 groups in one copy: [B, C/2, H, W] ×2 → [B, C, H, W] with
    /// out[2i] = a[i] and out[2i+1] = b[i], by stacking the two maps on a new axis right after the channels (the stored
    /// last axis when channels are stored innermost; the result is then channels-last). Same values as cat + shuffle.
    /// </summary>
    public static Tensor ConcatShuffled(Tensor a, Tensor b)
    {
        var (n, half, h, w) = (a.shape[0], a.shape[1], a.shape[2], a.shape[3]);
        // Channels stored innermost (a channels-last map, or a channel half of one): stack in NHWC order.
        if (half > 1 && a.stride(1) == 1 && b.stride(1) == 1)
            return stack([a.permute(0, 2, 3, 1), b.permute(0, 2, 3, 1)], 4).view(n, h, w, 2 * half).permute(0, 3, 1, 2);
        return stack([a, b], 2).view(n, 2 * half, h, w);
    }

    /// <summary>
    /// [B, C, H, W] → [B, C, H, W] with channels interleaved across <paramref name="groups"/>: for 2 groups
    /// out[2i] = in[i] and out[2i+1] = in[C/2 + i]. The memory layout of <paramref name="x"/> is kept (a channels-last
    /// input is shuffled along its last stored axis and stays channels-last).
    /// </summary>
    public static Tensor ChannelShuffle(Tensor x, int groups)
    {
        var (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        if (MemoryLayout.IsChannelsLast(x))
            return x.permute(0, 2, 3, 1).reshape(b, h, w, groups, c / groups).transpose(3, 4).reshape(b, h, w, c).permute(0, 3, 1, 2);
        return x.view(b, groups, c / groups, h, w).transpose(1, 2).contiguous().view(b, c, h, w);
    }

    /// <summary>
    /// Split (Slice) or both branches, Concat, then the channel shuffle as Reshape [B, 2, C/2, H, W] → Transpose
    /// (0, 2, 1, 3, 4) → Reshape [B, C, H, W], the pattern ONNX runtimes recognise.
    /// </summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        var x = inputs[0];
        OnnxValue joined;
        if (_stride == 1)
        {
            long half = x.Shape[1] / 2;
            var first = graph.Slice(x, 1, 0, half);
            OnnxValue second;
            using (graph.Scope("branch2")) second = graph.Module(_branch2, graph.Slice(x, 1, half, x.Shape[1]));
            joined = graph.Concat([first, second], 1);
        }
        else
        {
            OnnxValue a, b;
            using (graph.Scope("branch1")) a = graph.Module(_branch1, x);
            using (graph.Scope("branch2")) b = graph.Module(_branch2, x);
            joined = graph.Concat([a, b], 1);
        }
        var (n, c, h, w) = (joined.Shape[0], joined.Shape[1], joined.Shape[2], joined.Shape[3]);
        var grouped = graph.Reshape(joined, n, 2, c / 2, h, w);
        var swapped = graph.Transpose(grouped, 0, 2, 1, 3, 4);
        return [graph.Reshape(swapped, n, c, h, w)];
    }
}
