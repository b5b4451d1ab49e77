using NanoDet.Abstractions.Export;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Backbones;

/// <summary>
/// GhostPAN (docs/reference.md#ghostpan-neck): 1×1 <c>reduce_layers</c>, a top-down path of <c>top_down_blocks</c> on [upsampled, lateral],
/// a bottom-up path of <c>downsamples</c> + <c>bottom_up_blocks</c> on [downsampled, lateral], and extra levels
/// <c>extra_lvl_in_conv</c>(reduced top input) + <c>extra_lvl_out_conv</c>(last output).
/// </summary>
public sealed class GhostPan : NeckModule, IOnnxExportable
{
    [ComponentName(Name = "reduce_layers")] private readonly ModuleList<ConvModule> _reduceLayers = new();
    [ComponentName(Name = "top_down_blocks")] private readonly ModuleList<GhostBlocks> _topDownBlocks = new();
    [ComponentName(Name = "downsamples")] private readonly ModuleList<nn.Module<Tensor, Tensor>> _downsamples = new();
    [ComponentName(Name = "bottom_up_blocks")] private readonly ModuleList<GhostBlocks> _bottomUpBlocks = new();
    [ComponentName(Name = "extra_lvl_in_conv")] private readonly ModuleList<nn.Module<Tensor, Tensor>> _extraIn = new();
    [ComponentName(Name = "extra_lvl_out_conv")] private readonly ModuleList<nn.Module<Tensor, Tensor>> _extraOut = new();
    private readonly int[] _inChannels;
    private readonly int _outChannels;
    private readonly UpsampleOptions _upsample;

    public GhostPan(GhostPanOptions o) : base(nameof(GhostPan))
    {
        _inChannels = [.. o.InChannels!];
        _outChannels = o.OutChannels;
        _upsample = o.UpsampleCfg;
        var norm = o.NormCfg.ToSpec();
        int n = _inChannels.Length, c = _outChannels, k = o.KernelSize;

        nn.Module<Tensor, Tensor> Strided() => o.UseDepthwise
            ? new DepthwiseConvModule(c, c, k, stride: 2, padding: k / 2, norm: norm, activation: o.Activation)
            : new ConvModule(c, c, k, stride: 2, padding: k / 2, norm: norm, activation: o.Activation);
        GhostBlocks Blocks() => new(2 * c, c, o.Expand, k, o.NumBlocks, o.UseRes, o.Activation);

        foreach (var inC in _inChannels)
            _reduceLayers.Add(new ConvModule(inC, c, 1, norm: norm, activation: o.Activation));
        for (int i = n - 1; i > 0; i--) _topDownBlocks.Add(Blocks());
        for (int i = 0; i < n - 1; i++)
        {
            _downsamples.Add(Strided());
            _bottomUpBlocks.Add(Blocks());
        }
        for (int i = 0; i < o.NumExtraLevel; i++)
        {
            _extraIn.Add(Strided());
            _extraOut.Add(Strided());
        }
        register_module("reduce_layers", _reduceLayers);
        register_module("top_down_blocks", _topDownBlocks);
        register_module("downsamples", _downsamples);
        register_module("bottom_up_blocks", _bottomUpBlocks);
        register_module("extra_lvl_in_conv", _extraIn);
        register_module("extra_lvl_out_conv", _extraOut);
        NumOutputs = n + o.NumExtraLevel;
    }

    public override int OutChannels => _outChannels;

    public override int NumOutputs { get; }

    public override IReadOnlyList<int>? InChannels => _inChannels;

    /// <summary>
    /// Backbone maps [B, in_i, H/s_i, W/s_i] (strides increasing) → [B, out, H/s, W/s] for each input stride, then one
    /// per extra level at twice the previous stride.
    /// </summary>
    public override Tensor[] forward(Tensor[] inputs)
    {
        if (inputs.Length != _inChannels.Length)
            throw new ArgumentException($"GhostPAN expects {_inChannels.Length} feature maps, got {inputs.Length}");
        var outs = new List<Tensor>(NumOutputs);
        using (var scope = NewDisposeScope())
        {
            int n = inputs.Length;
            var reduced = new Tensor[n];
            for (int i = 0; i < n; i++) reduced[i] = _reduceLayers[i].forward(inputs[i]);

            // Top-down: inner[i] for level i, built from the coarsest level downwards.
            var inner = new Tensor[n];
            inner[n - 1] = reduced[n - 1];
            for (int idx = n - 1; idx > 0; idx--)
            {
                var up = Upsample(inner[idx]);
                inner[idx - 1] = _topDownBlocks[n - 1 - idx].forward(cat([up, reduced[idx - 1]], 1));
            }

            // Bottom-up.
            var levels = new List<Tensor> { inner[0] };
            for (int idx = 0; idx < n - 1; idx++)
            {
                var down = _downsamples[idx].forward(levels[^1]);
                levels.Add(_bottomUpBlocks[idx].forward(cat([down, inner[idx + 1]], 1)));
            }

            for (int e = 0; e < _extraIn.Count; e++)
                levels.Add(_extraIn[e].forward(reduced[n - 1]) + _extraOut[e].forward(levels[^1]));

            foreach (var t in levels) outs.Add(t.MoveToOuterDisposeScope());
        }
        return [.. outs];
    }

    /// <summary>[B, C, h, w] → [B, C, 2h, 2w] (bilinear, align_corners false by default, as NanoDet).</summary>
    private Tensor Upsample(Tensor x)
    {
        double s = _upsample.ScaleFactor;
        return _upsample.Mode == "nearest"
            ? nn.functional.interpolate(x, scale_factor: [s, s], mode: InterpolationMode.Nearest)
            : nn.functional.interpolate(x, scale_factor: [s, s], mode: InterpolationMode.Bilinear,
                align_corners: _upsample.AlignCorners ?? false);
    }

    /// <summary>The same top-down, bottom-up and extra-level paths as <see cref="forward"/>.</summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        if (inputs.Count != _inChannels.Length)
            throw new ArgumentException($"GhostPAN expects {_inChannels.Length} feature maps, got {inputs.Count}");
        int n = inputs.Count;
        var reduced = new OnnxValue[n];
        for (int i = 0; i < n; i++)
            using (graph.Scope($"reduce_layers.{i}")) reduced[i] = graph.Module(_reduceLayers[i], inputs[i]);

        var inner = new OnnxValue[n];
        inner[n - 1] = reduced[n - 1];
        for (int idx = n - 1; idx > 0; idx--)
        {
            var up = graph.Upsample(inner[idx], _upsample.ScaleFactor, _upsample.Mode != "nearest", _upsample.AlignCorners ?? false);
            using (graph.Scope($"top_down_blocks.{n - 1 - idx}"))
                inner[idx - 1] = graph.Module(_topDownBlocks[n - 1 - idx], graph.Concat([up, reduced[idx - 1]], 1));
        }

        var levels = new List<OnnxValue> { inner[0] };
        for (int idx = 0; idx < n - 1; idx++)
        {
            OnnxValue down;
            using (graph.Scope($"downsamples.{idx}")) down = graph.Module(_downsamples[idx], levels[^1]);
            using (graph.Scope($"bottom_up_blocks.{idx}"))
                levels.Add(graph.Module(_bottomUpBlocks[idx], graph.Concat([down, inner[idx + 1]], 1)));
        }

        for (int e = 0; e < _extraIn.Count; e++)
        {
            OnnxValue a, b;
            using (graph.Scope($"extra_lvl_in_conv.{e}")) a = graph.Module(_extraIn[e], reduced[n - 1]);
            using (graph.Scope($"extra_lvl_out_conv.{e}")) b = graph.Module(_extraOut[e], levels[^1]);
            levels.Add(graph.Binary("Add", a, b));
        }
        return levels;
    }
}
