using NanoDet.Abstractions.Export;
using NanoDet.Abstractions.Model;
using NanoDet.Compute.Layers;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoDet.Detectors;

/// <summary>
/// The NanoDet-Plus detector (docs/reference.md#training-forward-and-the-aux-branch): children registered as <c>backbone</c>, <c>fpn</c>, <c>head</c>,
/// <c>aux_fpn</c>, <c>aux_head</c> (NanoDet's state_dict order). <see cref="forward"/> is the inference/export path
/// (no aux parts, class scores after sigmoid); <see cref="ForwardTrain"/> also runs the assign-guidance branch.
/// </summary>
public sealed class NanoDetPlus : DetectorModule, IOnnxExportable
{
    [ComponentName(Name = "backbone")] private readonly BackboneModule _backbone;
    [ComponentName(Name = "fpn")] private readonly NeckModule _fpn;
    [ComponentName(Name = "head")] private readonly HeadModule _head;
    [ComponentName(Name = "aux_fpn")] private readonly NeckModule _auxFpn;
    [ComponentName(Name = "aux_head")] private readonly HeadModule _auxHead;

    /// <summary>Assembles the detector; <paramref name="auxFpn"/> receives a copy of <paramref name="fpn"/>'s initial weights.</summary>
    public NanoDetPlus(BackboneModule backbone, NeckModule fpn, HeadModule head, NeckModule auxFpn, HeadModule auxHead, int detachEpoch)
        : base(nameof(NanoDetPlus))
    {
        (_backbone, _fpn, _head, _auxFpn, _auxHead) = (backbone, fpn, head, auxFpn, auxHead);
        DetachEpoch = detachEpoch;
        register_module("backbone", _backbone);
        register_module("fpn", _fpn);
        register_module("head", _head);
        register_module("aux_fpn", _auxFpn);
        register_module("aux_head", _auxHead);
        // NanoDet deep-copies fpn after its init: the aux neck starts from the same weights.
        _auxFpn.load_state_dict(_fpn.state_dict(), strict: true);
    }

    /// <summary>Epoch from which aux gradients stop at the backbone and main neck.</summary>
    public int DetachEpoch { get; }

    /// <summary>
    /// Convert the input to channels-last first in training (see <see cref="MemoryLayout"/>); same values when the kernels
    /// are exact. Without autograd (inference) the input is always converted: depthwise convolutions, the stem max-pool and
    /// the bilinear upsampling are 2–6× faster in that layout at batch 1 (docs/kernels.md, "Inference at batch 1").
    /// </summary>
    public bool ChannelsLast { get; init; }

    private Tensor Prepare(Tensor images) =>
        ChannelsLast || !is_grad_enabled() ? MemoryLayout.ToChannelsLast(images) : images;

    public BackboneModule Backbone => _backbone;
    public NeckModule Fpn => _fpn;
    public HeadModule Head => _head;
    public NeckModule AuxFpn => _auxFpn;
    public HeadModule AuxHead => _auxHead;

    public override HeadLayout Layout => _head.Layout;

    /// <summary>
    /// Inference/export path: [B, 3, H, W] (normalised BGR, H and W multiples of 32) → [B, N, K] with sigmoid applied
    /// to the first C channels only (NanoDet's ONNX convention); bin logits stay raw.
    /// </summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var raw = _head.forward(_fpn.forward(_backbone.forward(Prepare(images))));
        int c = Layout.NumClasses;
        var scores = raw[.., .., ..c].sigmoid();
        var bins = raw[.., .., c..];
        return cat([scores, bins], -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Training forward (docs/reference.md#training-forward-and-the-aux-branch): raw main output [B, N, K] and raw aux output [B, N, K]. The aux head sees
    /// concat([main, aux]) per level; from <see cref="DetachEpoch"/> on, the backbone features entering aux_fpn and the
    /// main neck outputs entering the aux head are detached.
    /// </summary>
    public override (Tensor Preds, Tensor? AuxPreds) ForwardTrain(Tensor images)
    {
        using var scope = NewDisposeScope();
        var feats = _backbone.forward(Prepare(images));
        var pan = _fpn.forward(feats);
        bool detach = Epoch >= DetachEpoch;
        var aux = _auxFpn.forward(detach ? feats.Select(f => f.detach()).ToArray() : feats);
        var dual = new Tensor[pan.Length];
        for (int l = 0; l < pan.Length; l++)
            dual[l] = cat([detach ? pan[l].detach() : pan[l], aux[l]], 1);
        var preds = _head.forward(pan);
        var auxPreds = _auxHead.forward(dual);
        return (preds.MoveToOuterDisposeScope(), auxPreds.MoveToOuterDisposeScope());
    }

    public override HeadLoss Loss(Tensor preds, Tensor? auxPreds, DetectionTargets targets) =>
        _head is ITrainableHead trainable
            ? trainable.Loss(preds, auxPreds, targets)
            : throw new InvalidOperationException(
                $"the head ({_head.GetType().FullName}) cannot compute a training loss: it does not implement {nameof(ITrainableHead)}");

    public override bool IsTrainingOnly(string stateDictKey) =>
        stateDictKey.StartsWith("aux_fpn.", StringComparison.Ordinal) || stateDictKey.StartsWith("aux_head.", StringComparison.Ordinal);

    /// <summary>
    /// The inference path as ONNX: backbone → fpn → head, then Slice/Sigmoid/Concat so only the first C channels
    /// get the sigmoid ([B, 3, H, W] → [B, N, K]). The aux branch is not part of the graph.
    /// </summary>
    public IReadOnlyList<OnnxValue> ExportOnnx(IOnnxGraphBuilder graph, IReadOnlyList<OnnxValue> inputs)
    {
        IReadOnlyList<OnnxValue> feats, pan, raw;
        using (graph.Scope("backbone")) feats = graph.Module(_backbone, inputs);
        using (graph.Scope("fpn")) pan = graph.Module(_fpn, feats);
        using (graph.Scope("head")) raw = graph.Module(_head, pan);
        var output = raw[0];
        int c = Layout.NumClasses;
        var scores = graph.Sigmoid(graph.Slice(output, 2, 0, c));
        var bins = graph.Slice(output, 2, c, output.Shape[2]);
        return [graph.Concat([scores, bins], 2)];
    }
}
