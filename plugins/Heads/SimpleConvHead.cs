using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Heads;

/// <summary>
/// NanoDet's SimpleConvHead, the auxiliary head of NanoDet-Plus (docs/reference.md#auxiliary-head): one <c>cls_convs</c> and one
/// <c>reg_convs</c> tower of 3×3 ConvModules (GN) shared by all levels, <c>gfl_cls</c> (C) and <c>gfl_reg</c>
/// ((4 + 2·points)·(R+1)) 3×3 convs, and a <c>scales</c> entry per level multiplied onto the regression output.
/// Output layout equals the main head's.
/// </summary>
public sealed class SimpleConvHead : HeadModule
{
    [ComponentName(Name = "cls_convs")] private readonly ModuleList<ConvModule> _clsConvs = new();
    [ComponentName(Name = "reg_convs")] private readonly ModuleList<ConvModule> _regConvs = new();
    [ComponentName(Name = "gfl_cls")] private readonly AdaptiveConv2d _gflCls;
    [ComponentName(Name = "gfl_reg")] private readonly AdaptiveConv2d _gflReg;
    [ComponentName(Name = "scales")] private readonly ModuleList<Scale> _scales = new();
    private readonly int _inChannels;

    public SimpleConvHead(SimpleConvHeadOptions o) : base(nameof(SimpleConvHead))
    {
        Layout = new HeadLayout(o.NumClasses, o.RegMax, o.NumPoints, [.. o.ResolvedStrides]);
        _inChannels = o.InputChannel;
        var norm = o.NormCfg.ToSpec();
        for (int i = 0; i < o.StackedConvs; i++)
        {
            int chn = i == 0 ? o.InputChannel : o.FeatChannels;
            _clsConvs.Add(new ConvModule(chn, o.FeatChannels, 3, padding: 1, norm: norm, activation: o.Activation));
            _regConvs.Add(new ConvModule(chn, o.FeatChannels, 3, padding: 1, norm: norm, activation: o.Activation));
        }
        _gflCls = new AdaptiveConv2d(o.FeatChannels, o.NumClasses, 3, padding: 1);
        _gflReg = new AdaptiveConv2d(o.FeatChannels, Layout.NumDistances * Layout.Bins, 3, padding: 1);
        foreach (var _ in Layout.Strides) _scales.Add(new Scale(1f));
        register_module("cls_convs", _clsConvs);
        register_module("reg_convs", _regConvs);
        register_module("gfl_cls", _gflCls);
        register_module("gfl_reg", _gflReg);
        register_module("scales", _scales);

        foreach (var m in _clsConvs.Concat(_regConvs)) WeightInit.Normal(m.Conv, 0.01);
        WeightInit.Normal(_gflCls, 0.01, NanoDetPlusHead.PriorBias);
        WeightInit.Normal(_gflReg, 0.01);
    }

    public override HeadLayout Layout { get; }

    public override int? InChannels => _inChannels;

    /// <summary>
    /// Pyramid maps [B, in, H_l, W_l] → raw predictions [B, N, K]: class logits then scaled bin logits, priors level
    /// by level, row-major inside a level.
    /// </summary>
    public override Tensor forward(Tensor[] feats)
    {
        if (feats.Length != _scales.Count)
            throw new ArgumentException($"SimpleConvHead expects {_scales.Count} levels (strides), got {feats.Length}");
        using var scope = NewDisposeScope();
        var levels = new Tensor[feats.Length];
        for (int l = 0; l < feats.Length; l++)
        {
            var cls = feats[l];
            var reg = feats[l];
            foreach (var conv in _clsConvs) cls = conv.forward(cls);
            foreach (var conv in _regConvs) reg = conv.forward(reg);
            var score = _gflCls.forward(cls);
            var box = _scales[l].forward(_gflReg.forward(reg));
            levels[l] = cat([score, box], 1);
        }
        return MemoryLayout.FlattenLevels(levels).MoveToOuterDisposeScope();
    }
}
