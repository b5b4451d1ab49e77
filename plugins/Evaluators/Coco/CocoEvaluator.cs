namespace NanoDet.Evaluators.Coco;

/// <summary>
/// pycocotools' COCOeval (<c>evaluate</c> + <c>accumulate</c>) for one overlap measure, with useCats = 1.
/// <para>
/// Per (image, class): detections sorted by score (stable) and capped at the last maxDets; per area range the
/// ground truth is flagged ignored (crowd, or area outside the inclusive range) and ordered non-ignored first
/// (stable); per IoU threshold each detection in score order takes the unmatched ground truth of highest IoU
/// ≥ the threshold (crowd ground truth may be matched repeatedly), stopping at the ignored block once it holds a
/// non-ignored match. Per (class, area, maxDets): all images' capped detections, concatenated in image-id
/// order, are stable-sorted by score; cumulative TP/FP over non-ignored detections give recall and precision,
/// precision is made non-increasing from the right and sampled at the 101 recall thresholds by a left binary
/// search (0 past the end).
/// </para>
/// Classes are independent, so they run in parallel; every value is computed by exactly the same sequence of
/// operations as in a sequential run, so results do not depend on the thread count.
/// </summary>
internal static class CocoEvaluator
{
    private const byte FalsePositive = 0;
    private const byte TruePositive = 1;
    private const byte Ignored = 2;

    /// <summary>Evaluates and accumulates <paramref name="data"/>.</summary>
    public static CocoAccumulation Run(EvalDataset data, IOverlapMeasure overlap, CocoParameters p, bool parallel = true)
    {
        int k = data.ClassCount;
        var gtByClass = Bucket(data.GroundTruth, k, static g => g.Label);
        var dtByClass = Bucket(data.Detections, k, static d => d.Label);

        var precision = new double[p.T * p.R * k * p.A * p.M];
        var recall = new double[p.T * k * p.A * p.M];
        Array.Fill(precision, -1.0);
        Array.Fill(recall, -1.0);
        var counts = new int[k * p.A];
        var acc = new CocoAccumulation(p, k, precision, recall, counts, data.DetectionCount);

        if (parallel)
            Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                c => EvaluateClass(c, data, gtByClass[c], dtByClass[c], overlap, acc));
        else
            for (int c = 0; c < k; c++) EvaluateClass(c, data, gtByClass[c], dtByClass[c], overlap, acc);
        return acc;
    }

    /// <summary>(image index, object index) pairs per class, in image order then file/input order.</summary>
    private static ObjectRef[][] Bucket<T>(T[][] perImage, int classCount, Func<T, int> label)
    {
        var counts = new int[classCount];
        foreach (var objects in perImage)
            foreach (var o in objects) counts[label(o)]++;
        var result = new ObjectRef[classCount][];
        for (int c = 0; c < classCount; c++) result[c] = new ObjectRef[counts[c]];
        Array.Clear(counts);
        for (int i = 0; i < perImage.Length; i++)
        {
            var objects = perImage[i];
            for (int j = 0; j < objects.Length; j++)
            {
                int c = label(objects[j]);
                result[c][counts[c]++] = new ObjectRef(i, j);
            }
        }
        return result;
    }

    private static void EvaluateClass(int k, EvalDataset data, ObjectRef[] gts, ObjectRef[] dts, IOverlapMeasure overlap, CocoAccumulation acc)
    {
        var p = acc.Parameters;
        int maxDet = p.MaxDets[^1];
        int tCount = p.T, aCount = p.A;

        // Images that hold ground truth or detections of this class, with their ranges in gts/dts.
        var images = new List<(int Image, int G0, int G1, int D0, int D1)>();
        int slotCount = 0;
        for (int gi = 0, di = 0; gi < gts.Length || di < dts.Length;)
        {
            int image = Math.Min(gi < gts.Length ? gts[gi].Image : int.MaxValue, di < dts.Length ? dts[di].Image : int.MaxValue);
            int g0 = gi, d0 = di;
            while (gi < gts.Length && gts[gi].Image == image) gi++;
            while (di < dts.Length && dts[di].Image == image) di++;
            images.Add((image, g0, gi, d0, di));
            slotCount += Math.Min(di - d0, maxDet);
        }

        // Detection slots: capped per-image lists concatenated in image order (pycocotools' accumulate order).
        var slotScore = new double[slotCount];
        var slotRank = new int[slotCount];
        var state = new byte[aCount * tCount * slotCount];
        var npig = new int[aCount];

        int maxG = 0, maxD = 0;
        foreach (var im in images)
        {
            maxG = Math.Max(maxG, im.G1 - im.G0);
            maxD = Math.Max(maxD, im.D1 - im.D0);
        }
        var gtBuf = new GroundTruthObject[maxG];
        var dtAll = new DetectionObject[maxD];
        var dtBuf = new DetectionObject[Math.Min(maxD, maxDet)];
        var scoreBuf = new double[maxD];
        var scratch = new double[maxD];
        var order = new int[maxD];
        var iou = new double[Math.Min(maxD, maxDet) * maxG];
        var ignored = new bool[maxG];
        var perm = new int[maxG];
        var matched = new bool[maxG];
        var detArea = new double[Math.Min(maxD, maxDet)];

        int slotBase = 0;
        foreach (var (image, g0, g1, d0, d1) in images)
        {
            int gCount = g1 - g0, dAll = d1 - d0;
            var imageGts = data.GroundTruth[image];
            var imageDts = data.Detections[image];
            for (int g = 0; g < gCount; g++) gtBuf[g] = imageGts[gts[g0 + g].Index];
            for (int d = 0; d < dAll; d++)
            {
                dtAll[d] = imageDts[dts[d0 + d].Index];
                scoreBuf[d] = dtAll[d].Score;
            }
            ScoreOrder.Descending(scoreBuf.AsSpan(0, dAll), order.AsSpan(0, dAll), scratch);
            int dCount = Math.Min(dAll, maxDet);
            for (int d = 0; d < dCount; d++)
            {
                dtBuf[d] = dtAll[order[d]];
                detArea[d] = overlap.DetectionArea(dtBuf[d]);
                slotScore[slotBase + d] = dtBuf[d].Score;
                slotRank[slotBase + d] = d;
            }
            var gtSpan = gtBuf.AsSpan(0, gCount);
            var dtSpan = dtBuf.AsSpan(0, dCount);
            if (gCount > 0 && dCount > 0) overlap.Compute(dtSpan, gtSpan, iou.AsSpan(0, dCount * gCount));

            for (int a = 0; a < aCount; a++)
            {
                var range = p.AreaRanges[a];
                int nonIgnored = 0;
                for (int g = 0; g < gCount; g++)
                {
                    ignored[g] = gtSpan[g].IsCrowd || gtSpan[g].Ignore || range.Excludes(gtSpan[g].Area);
                    if (!ignored[g]) perm[nonIgnored++] = g;
                }
                npig[a] += nonIgnored;
                for (int g = 0, j = nonIgnored; g < gCount; g++)
                    if (ignored[g]) perm[j++] = g;

                if (gCount == 0)
                {
                    // Nothing to match: every detection is a false positive, or ignored when outside the range.
                    for (int t = 0; t < tCount; t++)
                    {
                        int row = (a * tCount + t) * slotCount + slotBase;
                        for (int d = 0; d < dCount; d++) state[row + d] = range.Excludes(detArea[d]) ? Ignored : FalsePositive;
                    }
                    continue;
                }

                for (int t = 0; t < tCount; t++)
                {
                    int row = (a * tCount + t) * slotCount + slotBase;
                    double threshold = Math.Min(p.IouThresholds[t], 1 - 1e-10);
                    Array.Clear(matched, 0, gCount);
                    for (int d = 0; d < dCount; d++)
                    {
                        double best = threshold;
                        int m = -1;
                        int iouRow = d * gCount;
                        for (int s = 0; s < gCount; s++)
                        {
                            int g = perm[s];
                            if (matched[s] && !gtSpan[g].IsCrowd) continue;
                            if (m > -1 && !ignored[perm[m]] && ignored[g]) break;
                            double v = iou[iouRow + g];
                            if (v < best) continue;
                            best = v;
                            m = s;
                        }
                        byte st;
                        if (m == -1)
                        {
                            st = range.Excludes(detArea[d]) ? Ignored : FalsePositive;
                        }
                        else
                        {
                            st = ignored[perm[m]] ? Ignored : TruePositive;
                            matched[m] = true;
                        }
                        state[row + d] = st;
                    }
                }
            }
            slotBase += dCount;
        }

        for (int a = 0; a < aCount; a++) acc.GroundTruthCounts[k * aCount + a] = npig[a];
        Accumulate(k, slotScore, slotRank, state, npig, acc);
    }

    /// <summary>
    /// pycocotools' accumulate for one class. Only true positives change recall or can raise precision, so the
    /// pass over the sorted detections just counts, and precision = tp / (fp + tp + eps) is evaluated (with
    /// numpy's operation order) at each true positive: the first index with recall ≥ r is the true positive
    /// that reaches that recall, and the right-to-left maximum from there is the maximum over it and the later
    /// true positives (an FP or ignored entry never exceeds the entry before it, division being monotone).
    /// The results are bit-identical to evaluating every entry as numpy does, at a fraction of the divisions.
    /// </summary>
    private static void Accumulate(int k, double[] slotScore, int[] slotRank, byte[] state, int[] npig, CocoAccumulation acc)
    {
        var p = acc.Parameters;
        int n = slotScore.Length;
        var order = ScoreOrder.Descending(slotScore);
        var kept = new int[n];
        var recThrs = p.RecallThresholds;
        double eps = Math.BitIncrement(1.0) - 1.0; // numpy's spacing(1)

        for (int m = 0; m < p.M; m++)
        {
            int maxDet = p.MaxDets[m];
            int nd = 0;
            foreach (int s in order)
                if (slotRank[s] < maxDet) kept[nd++] = s;

            for (int a = 0; a < p.A; a++)
            {
                if (npig[a] == 0) continue; // stays −1: no ground truth to recall
                double gtCount = npig[a];
                // pr at the c-th true positive (1-based), then its suffix maximum.
                var prAtTp = new double[Math.Min(nd, npig[a]) + 2];
                for (int t = 0; t < p.T; t++)
                {
                    int row = (a * p.T + t) * n;
                    double tp = 0, fp = 0;
                    int tpCount = 0;
                    for (int i = 0; i < nd; i++)
                    {
                        byte st = state[row + kept[i]];
                        if (st == TruePositive)
                        {
                            tp += 1;
                            prAtTp[++tpCount] = tp / (fp + tp + eps);
                        }
                        else if (st == FalsePositive)
                        {
                            fp += 1;
                        }
                    }
                    acc.Recall[acc.RecallIndex(t, k, a, m)] = nd > 0 ? tp / gtCount : 0;
                    for (int c = tpCount - 1; c >= 1; c--)
                        if (prAtTp[c + 1] > prAtTp[c]) prAtTp[c] = prAtTp[c + 1];

                    int reached = 0; // smallest c with c / npig >= threshold
                    for (int r = 0; r < recThrs.Length; r++)
                    {
                        while (reached <= tpCount && reached / gtCount < recThrs[r]) reached++;
                        double q;
                        if (nd == 0 || reached > tpCount) q = 0;             // index past the end
                        else if (reached == 0) q = tpCount > 0 ? prAtTp[1] : 0; // index 0: max of all precision
                        else q = prAtTp[reached];
                        acc.Precision[acc.PrecisionIndex(t, r, k, a, m)] = q;
                    }
                }
            }
        }
    }

    private readonly record struct ObjectRef(int Image, int Index);
}
