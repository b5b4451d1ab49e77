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

namespace NanoDet.Heads;

/// <summary>
/// NanoDet-Plus main head (docs/reference.md#main-head) with the four-point extension: per level (not shared) <c>cls_convs</c> =
/// stacked depthwise-separable (or plain) conv modules, then one 1×1 <c>gfl_cls</c> conv with bias whose
/// K = C + (4 + 2·points)·(R+1) channels are the class logits, the 4 box-side distributions and the corner
/// distributions. <c>num_points = 0</c> is NanoDet-Plus exactly (same keys and shapes as the official model).
/// </summary>
public sealed class NanoDetPlusHead : HeadModule, ITrainableHead, IOnnxExportable
{
    /// <summary>Initial bias of every gfl_cls entry: −ln 99, so the first class probabilities are 0.01.</summary>
    public const double PriorBias = -4.595;

    [ComponentName(Name = "distribution_project")] private readonly DistributionProject _distributionProject;
    [ComponentName(Name = "cls_convs")] private readonly ModuleList<ModuleList<nn.Module<Tensor, Tensor>>> _clsConvs = new();
    [ComponentName(Name = "gfl_cls")] private readonly ModuleList<AdaptiveConv2d> _gflCls = new();
    private readonly int _inChannels;

    public NanoDetPlusHead(NanoDetPlusHeadOptions o) : base(nameof(NanoDetPlusHead))
    {
        Layout = o.Layout;
        _inChannels = o.InputChannel;
        var norm = o.NormCfg.ToSpec();
        _distributionProject = new DistributionProject(o.RegMax);
        foreach (var _ in Layout.Strides)
        {
            var convs = new ModuleList<nn.Module<Tensor, Tensor>>();
            for (int i = 0; i < o.StackedConvs; i++)
            {
                int chn = i == 0 ? o.InputChannel : o.FeatChannels;
                convs.Add(o.ConvType == "Conv"
                    ? new ConvModule(chn, o.FeatChannels, o.KernelSize, padding: o.KernelSize / 2, norm: norm, activation: o.Activation)
                    : new DepthwiseConvModule(chn, o.FeatChannels, o.KernelSize, padding: o.KernelSize / 2, norm: norm, activation: o.Activation));
            }
            _clsConvs.Add(convs);
            _gflCls.Add(new AdaptiveConv2d(o.FeatChannels, Layout.Channels, 1));
        }
        register_module("distribution_project", _distributionProject);
        register_module("cls_convs", _clsConvs);
        register_module("gfl_cls", _gflCls);
        InitializeWeights();
    }

    public override HeadLayout Layout { get; }

    public override int? InChannels => _inChannels;

    /// <summary>
    /// The training loss (assignment from the aux predictions, QFL/GIoU/DFL and the corner term); set by the
    /// plugin factory from the head's <c>loss</c> and <c>assigner_cfg</c> sections.
    /// </summary>
    public Losses.NanoDetPlusLoss? TrainingLoss { get; set; }

    /// <inheritdoc />
    public HeadLoss Loss(Tensor preds, Tensor? auxPreds, DetectionTargets targets) =>
        (TrainingLoss ?? throw new InvalidOperationException("NanoDetPlusHead has no training loss (build it through its plugin factory)"))
            .Compute(preds, auxPreds, targets);

    /// <summary>The integral layer (buffer <c>project</c>), shared with the training code.</summary>
    public DistributionProject DistributionProject => _distributionProject;

    /// <summary>
    /// Pyramid maps [B, in, H_l, W_l] (one per stride) → raw predictions [B, N, K], N = Σ H_l·W_l, priors level by
    /// level and row-major inside a level; class logits without sigmoid. The result is contiguous.
    /// </summary>
    public override Tensor forward(Tensor[] feats)
    {
        if (feats.Length != _gflCls.Count)
            throw new ArgumentException($"NanoDetPlusHead expects {_gflCls.Count} levels (strides), got {feats.Length}");
        using var scope = NewDisposeScope();
        var levels = new Tensor[feats.Length];
        for (int l = 0; l < feats.Length; l++)
        {
            var x = feats[l];
            foreach (var conv in _clsConvs[l]) x = conv.forward(x);
            levels[l] = _gflCls[l].forward(x);
        }
        return MemoryLayout.FlattenLevels(levels).MoveToOuterDisposeScope();
    }

    /// <summary>docs/reference.md#building-blocks-and-initialisation: every conv inside cls_convs ~ N(0, 0.01); gfl_cls ~ N(0, 0.01) with every bias −4.595.</summary>
    private void InitializeWeights()
    {
        foreach (var (_, m) in _clsConvs.named_modules())
            if (m is AdaptiveConv2d conv) WeightInit.Normal(conv, 0.01);
        foreach (var conv in _gflCls) WeightInit.Normal(conv, 0.01, PriorBias);
    }

    /// <summary>
    /// Per level cls_convs → gfl_cls → Reshape [B, K, H·W]; Concat on axis 2 → Transpose → [B, N, K] raw (as
    /// <see cref="forward"/>: no sigmoid here).
    /// </summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        if (inputs.Count != _gflCls.Count)
            throw new ArgumentException($"NanoDetPlusHead expects {_gflCls.Count} levels (strides), got {inputs.Count}");
        var levels = new OnnxValue[inputs.Count];
        for (int l = 0; l < inputs.Count; l++)
        {
            var x = inputs[l];
            for (int i = 0; i < _clsConvs[l].Count; i++)
                using (graph.Scope($"cls_convs.{l}.{i}")) x = graph.Module(_clsConvs[l][i], x);
            using (graph.Scope($"gfl_cls.{l}")) x = graph.Conv(x, _gflCls[l]);
            levels[l] = graph.Reshape(x, x.Shape[0], x.Shape[1], x.Shape[2] * x.Shape[3]);
        }
        return [graph.Transpose(graph.Concat(levels, 2), 0, 2, 1)];
    }
}
