using NanoDet.Heads.Assigners;
using static TorchSharp.torch;

namespace NanoDet.Heads.Tests.Training;

/// <summary>
/// docs/reference.md#label-assignment steps 1–7 transcribed literally with loops over priors and ground truths in double precision:
/// the independent check of the vectorised assigner.
/// </summary>
internal static class LiteralAssigner
{
    public static (long[] Gt, long[] Labels, float[] Ious, int Conflicts) Assign(AssignerOptions o, Tensor logits, Tensor priors, Tensor boxes,
        Tensor? points, Tensor gtBoxes, Tensor gtLabels, Tensor? gtPoints)
    {
        int n = (int)priors.shape[0], m = (int)gtBoxes.shape[0], c = (int)logits.shape[1];
        float[] P = priors.data<float>().ToArray(), L = logits.data<float>().ToArray(), B = boxes.data<float>().ToArray();
        float[] G = gtBoxes.data<float>().ToArray();
        long[] GL = gtLabels.data<long>().ToArray();
        float[]? Q = points?.data<float>().ToArray(), GQ = gtPoints?.data<float>().ToArray();
        var gt = new long[n];
        var labels = Enumerable.Repeat(-1L, n).ToArray();
        var ious = new float[n];

        // 1. strict candidate filter
        var valid = new List<int>();
        for (int i = 0; i < n; i++)
        {
            bool inside = false;
            for (int j = 0; j < m; j++)
                inside |= P[i * 4] - G[j * 4] > 0 && P[i * 4 + 1] - G[j * 4 + 1] > 0 && G[j * 4 + 2] - P[i * 4] > 0 && G[j * 4 + 3] - P[i * 4 + 1] > 0;
            if (inside) valid.Add(i);
        }
        int v = valid.Count;
        if (m == 0 || v == 0) return (gt, labels, ious, 0);

        // 2–6. IoU and cost matrices
        var iou = new double[v, m];
        var cost = new double[v, m];
        for (int a = 0; a < v; a++)
        {
            int i = valid[a];
            for (int j = 0; j < m; j++)
            {
                iou[a, j] = IoU(B.AsSpan(i * 4, 4), G.AsSpan(j * 4, 4));
                double cls = 0;
                for (int k = 0; k < c; k++)
                {
                    double x = L[i * c + k], p = 1 / (1 + Math.Exp(-x));
                    double s = k == GL[j] ? iou[a, j] : 0;
                    double bce = Math.Max(x, 0) - x * s + Math.Log(1 + Math.Exp(-Math.Abs(x)));
                    cls += bce * (s - p) * (s - p);
                }
                cost[a, j] = cls + o.IouFactor * -Math.Log(iou[a, j] + 1e-7);
                if (o.PointsCost && Q is not null && GQ is not null)
                {
                    double l1 = 0;
                    for (int k = 0; k < 8; k++) l1 += Math.Abs(Q[i * 8 + k] - GQ[j * 8 + k]);
                    cost[a, j] += Math.Pow(o.PointsCostAlpha, l1 / 8 - o.PointsCostBeta);
                }
            }
        }

        // 7–8. dynamic k and the k cheapest candidates per GT
        var match = new bool[v, m];
        for (int j = 0; j < m; j++)
        {
            var column = Enumerable.Range(0, v).Select(a => iou[a, j]).OrderByDescending(x => x).Take(Math.Min(o.TopK, v)).Sum();
            int k = Math.Max(1, (int)column);
            foreach (var a in Enumerable.Range(0, v).OrderBy(a => cost[a, j]).Take(k)) match[a, j] = true;
        }

        // 9–10. conflicts keep the cheapest GT over all GTs; write back
        int conflicts = 0;
        for (int a = 0; a < v; a++)
        {
            var picked = Enumerable.Range(0, m).Where(j => match[a, j]).ToList();
            if (picked.Count == 0) continue;
            if (picked.Count > 1) conflicts++;
            int best = picked.Count == 1 ? picked[0] : Enumerable.Range(0, m).OrderBy(j => cost[a, j]).First();
            gt[valid[a]] = best + 1;
            labels[valid[a]] = GL[best];
            ious[valid[a]] = (float)iou[a, best];
        }
        return (gt, labels, ious, conflicts);
    }

    private static double IoU(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double iw = Math.Max(0, Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]));
        double ih = Math.Max(0, Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]));
        double inter = iw * ih;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return inter / Math.Max(union, 1e-6);
    }
}
