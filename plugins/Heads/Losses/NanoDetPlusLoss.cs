using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Geometry;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Heads.Assigners;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Heads.Losses;

/// <summary>
/// NanoDet-Plus training loss with the four-point extension (docs/reference.md#training-targets, docs/reference.md#losses): one assignment
/// per image from the aux predictions when present (else from the main ones, detached), targets built once for
/// the batch, then for each head QFL/A + GIoU·w/W + DFL·w/(4W) over all 4 + 2·points distributions (or an
/// L1/Wing corner term). A = max(Npos, 1), w_i = detached max-class sigmoid of the head being scored,
/// W = max(Σ w_i, 1). Losses run once over the batch; only the assigner is per image.
/// </summary>
public sealed class NanoDetPlusLoss
{
    private readonly QualityFocalLoss _qfl;
    private readonly DistributionFocalLoss _dfl;
    private readonly GIoULoss _giou;
    private readonly IDistanceLoss? _pts;

    public NanoDetPlusLoss(HeadLayout layout, IAssigner assigner, NanoDetPlusLossOptions? options = null)
    {
        Layout = layout;
        Assigner = assigner;
        Options = options ?? new NanoDetPlusLossOptions();
        _qfl = new QualityFocalLoss(Options.LossQfl.Beta, Options.LossQfl.LossWeight);
        _dfl = new DistributionFocalLoss(Options.LossDfl.LossWeight);
        _giou = new GIoULoss(Options.LossBbox.LossWeight, Options.LossBbox.Eps);
        _pts = layout.NumPoints > 0 ? Options.LossPts.CreateDistanceLoss() : null;
    }

    public HeadLayout Layout { get; }
    public IAssigner Assigner { get; }
    public NanoDetPlusLossOptions Options { get; }

    /// <summary>
    /// Builds the loss a head config describes: <paramref name="options"/> from its <c>loss</c> section and the
    /// assigner resolved by name from <paramref name="assignerSection"/> (<c>assigner_cfg</c>;
    /// <c>DynamicSoftLabelAssigner</c> when it has no <c>name</c>).
    /// </summary>
    public static NanoDetPlusLoss Create(HeadLayout layout, NanoDetPlusLossOptions options,
        IConfigurationSection assignerSection, IPluginResolver resolver)
    {
        var name = assignerSection["name"];
        var assigner = resolver.Create<IAssigner>(PluginKind.Assigner, assignerSection,
            string.IsNullOrWhiteSpace(name) ? AssignerOptions.DefaultName : name);
        return new NanoDetPlusLoss(layout, assigner, options);
    }

    /// <summary>
    /// Total loss and NanoDet's terms (<c>loss_qfl</c>, <c>loss_bbox</c>, <c>loss_dfl</c>, <c>aux_</c>…; plus
    /// <c>loss_pts</c> with an L1/Wing corner loss). <paramref name="preds"/> and <paramref name="auxPreds"/> are raw
    /// head outputs [B, N, K]; priors follow from the targets' input size and the layout's strides.
    /// </summary>
    public HeadLoss Compute(Tensor preds, Tensor? auxPreds, DetectionTargets targets)
    {
        using var scope = NewDisposeScope();
        var priors = CheckedPriors(preds, auxPreds, targets);
        var t = BuildTargets(auxPreds ?? preds, priors, targets);
        var terms = new Dictionary<string, float>(StringComparer.Ordinal);
        var total = HeadTerms(preds, priors, t, "", terms);
        if (auxPreds is not null) total = total + HeadTerms(auxPreds, priors, t, "aux_", terms);
        return new HeadLoss(total.MoveToOuterDisposeScope(), terms, t.NumPositives);
    }

    /// <summary>
    /// Assigns every image with <see cref="Assigner"/> (no gradients) from <paramref name="assignPreds"/> [B, N, K]
    /// and builds the batch targets. <paramref name="priors"/> [N, 4] (cx, cy, stride_w, stride_h).
    /// </summary>
    public LossTargets BuildTargets(Tensor assignPreds, Tensor priors, DetectionTargets targets)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int b = (int)assignPreds.shape[0];
        long n = assignPreds.shape[1];
        int c = Layout.NumClasses, d = Layout.NumDistances;
        var device = assignPreds.device;
        if (targets.Images.Count != b)
            throw new ArgumentException($"targets describe {targets.Images.Count} images but the predictions {b}", nameof(targets));

        var src = assignPreds.detach().to(float32);
        var cls = src[.., .., ..c];                                                              // [B, N, C]
        var dist = DistributionIntegral.Apply(src[.., .., c..], Layout.RegMax) * priors[.., 2].unsqueeze(1); // [B, N, D] px
        var centers = priors[.., ..2];
        var batchCenters = centers.repeat(b, 1);                                                // [B·N, 2]
        var flatDist = dist.reshape(b * n, d);
        var decBoxes = DistanceCodec.DistanceToBox(batchCenters, flatDist[.., ..4]).reshape(b, n, 4);
        var decPoints = Layout.NumPoints > 0
            ? DecodePoints(batchCenters, priors, flatDist).reshape(b, n, 2 * Layout.NumPoints)
            : null;

        var flat = new List<Tensor>(b);
        var labels = new List<Tensor>(b);
        var scores = new List<Tensor>(b);
        var boxes = new List<Tensor>(b);
        var points = new List<Tensor>(b);
        for (int i = 0; i < b; i++)
        {
            var img = targets.Images[i];
            CheckImage(img, i);
            var gtBoxes = img.Boxes.to(float32, device);
            var gtLabels = img.Labels.to(int64, device);
            var gtPoints = Layout.NumPoints > 0 ? img.Points!.to(float32, device) : null;
            var r = Assigner.Assign(cls[i], priors, decBoxes[i], decPoints?[i], gtBoxes, gtLabels, gtPoints);
            var pos = (r.GtIndex > 0).nonzero().squeeze(1);                                      // [p]
            var gi = r.GtIndex.index_select(0, pos) - 1;
            flat.Add(pos + i * n);
            labels.Add(gtLabels.index_select(0, gi));
            scores.Add(r.MaxOverlaps.index_select(0, pos).to(float32));
            boxes.Add(gtBoxes.index_select(0, gi));
            if (gtPoints is not null) points.Add(gtPoints.index_select(0, gi));
        }

        var posIndex = cat(flat, 0);
        int numPos = (int)posIndex.shape[0];
        var priorIndex = posIndex.remainder(n);
        var allLabels = full(b * n, (long)c, int64, device).index_put_(cat(labels, 0), posIndex);
        var allScores = zeros(b * n, float32, device).index_put_(cat(scores, 0), posIndex);
        var boxTargets = cat(boxes, 0);
        var posPriors = priors.index_select(0, priorIndex);
        var posCenters = posPriors[.., ..2];
        var posStrides = posPriors[.., 2..3];
        var parts = new List<Tensor>(2) { DistanceCodec.BoxToDistance(posCenters, boxTargets) / posStrides };
        Tensor distTargets;
        if (Layout.CornerEncoding == CornerEncoding.Signed && Layout.NumPoints > 0)
        {
            // box sides as always; corners as signed offsets mapped onto the [−R, R] bins (CornerCodec)
            var cornerStrides = DistanceCodec.PointsToDistance(posCenters, cat(points, 0), CornerEncoding.Signed) / posStrides;
            distTargets = cat([parts[0].clamp(0, Layout.RegMax - 0.1), Layout.Corners.StridesToBinTargets(cornerStrides)], 1);
        }
        else
        {
            if (Layout.NumPoints > 0) parts.Add(DistanceCodec.PointsToDistance(posCenters, cat(points, 0)) / posStrides);
            distTargets = cat(parts, 1).clamp(0, Layout.RegMax - 0.1);
        }
        if (distTargets.shape[1] != d) throw new InvalidOperationException($"built {distTargets.shape[1]} distance targets, layout has {d}");

        return new LossTargets(allLabels.MoveToOuterDisposeScope(), allScores.MoveToOuterDisposeScope(),
            posIndex.MoveToOuterDisposeScope(), priorIndex.MoveToOuterDisposeScope(),
            boxTargets.MoveToOuterDisposeScope(), distTargets.MoveToOuterDisposeScope(), numPos);
    }

    /// <summary>
    /// Corner points [B·N, 8] in pixels for the assigner's corner cost from the pixel distances
    /// <paramref name="flatDist"/> [B·N, D] (integral × stride): quadrant decoding is the seed's arithmetic; the signed
    /// encoding maps the corner integrals from bins to strides first (origin −R, spacing 2). <paramref name="batchCenters"/>
    /// [B·N, 2], <paramref name="priors"/> [N, 4].
    /// </summary>
    private Tensor DecodePoints(Tensor batchCenters, Tensor priors, Tensor flatDist)
    {
        if (Layout.CornerEncoding == CornerEncoding.Quadrant)
            return DistanceCodec.DistanceToPoints(batchCenters, flatDist[.., 4..]);
        using var scope = NewDisposeScope();
        var codec = Layout.Corners;
        var strides = priors[.., 2].repeat(batchCenters.shape[0] / priors.shape[0]).unsqueeze(1);              // [B·N, 1]
        var pixels = flatDist[.., 4..] * codec.BinSpacing + strides * codec.BinOrigin;                           // [B·N, 8]
        return DistanceCodec.DistanceToPoints(batchCenters, pixels, null, Layout.CornerEncoding).MoveToOuterDisposeScope();
    }

    /// <summary>One head's QFL + GIoU + DFL (+ corner term) against the shared targets; adds detached values to <paramref name="terms"/>.</summary>
    private Tensor HeadTerms(Tensor preds, Tensor priors, LossTargets t, string prefix, Dictionary<string, float> terms)
    {
        int b = (int)preds.shape[0];
        long n = preds.shape[1];
        int c = Layout.NumClasses, d = Layout.NumDistances, bins = Layout.Bins;
        var rows = preds.reshape(b * n, Layout.Channels);                                       // [B·N, K]
        var cls = rows[.., ..c];                                                                // [B·N, C] (strided view)
        int p = t.NumPositives;

        var qfl = _qfl.Forward(cls, t.Labels, t.Scores, null, Math.Max(p, 1));
        Tensor bbox, dfl;
        Tensor? pts = null;
        if (p == 0)
        {
            // Keeps every output in the graph (zero gradients) so a batch without positives still back-propagates.
            var zero = rows[.., c..].sum() * 0;
            bbox = zero;
            dfl = zero;
            if (_pts is not null) pts = zero;
        }
        else
        {
            var posRows = rows.index_select(0, t.PosIndex);                                    // [P, K]
            var w = posRows[.., ..c].detach().sigmoid().amax([1]);                             // [P]
            double wSum = Math.Max(w.sum().item<float>(), 1.0);
            double sideNorm = (Options.LossDfl.Normalizer == DflNormalizer.AllSides ? d : 4) * wSum;
            var posReg = posRows[.., c..].reshape(p, d, bins);                                 // [P, D, R+1]
            var posPriors = priors.index_select(0, t.PriorIndex);
            var expected = DistributionIntegral.Apply(posReg.reshape(p, d * bins), Layout.RegMax); // [P, D] strides
            var decoded = DistanceCodec.DistanceToBox(posPriors[.., ..2], expected[.., ..4] * posPriors[.., 2..3]);
            bbox = _giou.Forward(decoded, t.BoxTargets, w, wSum);

            int dflSides = _pts is null ? d : 4;
            dfl = _dfl.Forward(posReg[.., ..dflSides].reshape(p * dflSides, bins), t.DistTargets[.., ..dflSides].reshape(-1),
                w.unsqueeze(1).expand(p, dflSides).reshape(-1), sideNorm);
            if (_pts is not null)
            {
                int corners = d - 4;
                // compared in stride units whatever the bin spacing, so loss_pts keeps its meaning per encoding
                var codec = Layout.Corners;
                pts = _pts.Forward(codec.BinsToStrides(expected[.., 4..]), codec.BinsToStrides(t.DistTargets[.., 4..]),
                    w.unsqueeze(1).expand(p, corners), sideNorm);
            }
        }

        terms[prefix + "loss_qfl"] = qfl.item<float>();
        terms[prefix + "loss_bbox"] = bbox.item<float>();
        terms[prefix + "loss_dfl"] = dfl.item<float>();
        var total = qfl + bbox + dfl;
        if (pts is not null)
        {
            terms[prefix + "loss_pts"] = pts.item<float>();
            total += pts;
        }
        return total;
    }

    private Tensor CheckedPriors(Tensor preds, Tensor? auxPreds, DetectionTargets targets)
    {
        if (preds.dim() != 3 || preds.shape[2] != Layout.Channels)
            throw new ArgumentException($"predictions must be [B, N, {Layout.Channels}], got [{string.Join(", ", preds.shape)}]", nameof(preds));
        if (auxPreds is not null && !auxPreds.shape.SequenceEqual(preds.shape))
            throw new ArgumentException($"aux predictions [{string.Join(", ", auxPreds.shape)}] differ from [{string.Join(", ", preds.shape)}]", nameof(auxPreds));
        var priors = PriorGrid.Priors(targets.InputHeight, targets.InputWidth, Layout.Strides, preds.device);
        if (priors.shape[0] != preds.shape[1])
            throw new ArgumentException(
                $"{preds.shape[1]} predictions per image but {priors.shape[0]} priors for a {targets.InputWidth}x{targets.InputHeight} input", nameof(preds));
        return priors;
    }

    private void CheckImage(ImageTargets img, int index)
    {
        long m = img.Boxes.shape[0];
        if (img.Boxes.dim() != 2 || img.Boxes.shape[1] != 4 || img.Labels.shape[0] != m)
            throw new ArgumentException($"image {index}: boxes must be [M, 4] with M labels");
        if (Layout.NumPoints > 0 && (img.Points is null || img.Points.shape[0] != m || img.Points.shape[1] != 2 * Layout.NumPoints))
            throw new ArgumentException($"image {index}: a {Layout.NumPoints}-point head needs points [M, {2 * Layout.NumPoints}]");
        if (m == 0) return;
        using var labels = img.Labels.to(int64);
        long lo = labels.min().item<long>(), hi = labels.max().item<long>();
        if (lo < 0 || hi >= Layout.NumClasses)
            throw new ArgumentException($"image {index}: ground-truth label {(lo < 0 ? lo : hi)} is outside [0, {Layout.NumClasses})");
    }
}
