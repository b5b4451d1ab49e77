using NanoDet.Abstractions.Export;
using NanoDet.Compute.Layers;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Backbones;

/// <summary>
/// GhostPAN's block stack: optional <c>reduce_conv</c> (1×1 ConvModule with bias, no norm, for the residual) and
/// <c>blocks</c> = Sequential of GhostBottleneck(in, out·expand, out). Blocks after the first take <c>out</c> channels
/// (NanoDet builds every block with <c>in</c> channels, which cannot run when num_blocks &gt; 1).
/// </summary>
public sealed class GhostBlocks : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    [ComponentName(Name = "reduce_conv")] private readonly ConvModule? _reduceConv;
    [ComponentName(Name = "blocks")] private readonly Sequential _blocks;

    public GhostBlocks(int inChannels, int outChannels, double expand, int kernelSize, int numBlocks, bool useRes, string? activation)
        : base(nameof(GhostBlocks))
    {
        if (useRes)
        {
            _reduceConv = new ConvModule(inChannels, outChannels, 1, norm: null, activation: activation);
            register_module("reduce_conv", _reduceConv);
        }
        int mid = (int)(outChannels * expand);
        var blocks = new List<nn.Module<Tensor, Tensor>>(numBlocks);
        for (int i = 0; i < numBlocks; i++)
            blocks.Add(new GhostBottleneck(i == 0 ? inChannels : outChannels, mid, outChannels, kernelSize, activation));
        _blocks = nn.Sequential(blocks);
        register_module("blocks", _blocks);
    }

    /// <summary>[B, in, H, W] → [B, out, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        if (_reduceConv is null) return _blocks.forward(x);
        using var scope = NewDisposeScope();
        return (_blocks.forward(x) + _reduceConv.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>blocks(x), plus reduce_conv(x) when the residual is used.</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        OnnxValue y;
        using (graph.Scope("blocks")) y = graph.Module(_blocks, inputs[0]);
        if (_reduceConv is null) return [y];
        OnnxValue r;
        using (graph.Scope("reduce_conv")) r = graph.Module(_reduceConv, inputs[0]);
        return [graph.Binary("Add", y, r)];
    }
}
