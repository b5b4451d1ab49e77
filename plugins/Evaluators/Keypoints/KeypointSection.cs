using System.Text;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Keypoints;

/// <summary>
/// The OKS-based keypoint AP over the four corners (pycocotools <c>iouType='keypoints'</c>): kpt_mAP (OKS
/// .50:.95), kpt_AP_50, kpt_AP_75, kpt_AP_m, kpt_AP_l (area ranges medium and large; the keypoint evaluation
/// has no small range) and kpt_AR, all at maxDets 20.
/// </summary>
internal sealed record KeypointSection(double Map, double Ap50, double Ap75, double ApMedium, double ApLarge, double Ar, IReadOnlyList<double> Sigmas)
{
    public static IReadOnlyList<string> MetricNames { get; } = ["kpt_mAP", "kpt_AP_50", "kpt_AP_75", "kpt_AP_m", "kpt_AP_l", "kpt_AR"];

    /// <summary>Evaluates <paramref name="data"/> with OKS; every value is 0 when there are no detections with corners, as for mAP.</summary>
    public static KeypointSection Compute(EvalDataset data, IReadOnlyList<double> sigmas)
    {
        var kp = KeypointDataset.From(data);
        var p = CocoParameters.Keypoints();
        var acc = CocoEvaluator.Run(kp, new OksOverlap(sigmas), p);
        int maxDets = p.MaxDets[^1];
        double P(double? oks, string area) => acc.DetectionCount == 0 ? 0 : CocoSummary.MeanPrecision(acc, oks, area, maxDets);
        double ar = acc.DetectionCount == 0 ? 0 : CocoSummary.MeanRecall(acc, null, "all", maxDets);
        return new KeypointSection(P(null, "all"), P(0.5, "all"), P(0.75, "all"), P(null, "medium"), P(null, "large"), ar, sigmas);
    }

    public void AddTo(IDictionary<string, double> metrics)
    {
        metrics["kpt_mAP"] = Map;
        metrics["kpt_AP_50"] = Ap50;
        metrics["kpt_AP_75"] = Ap75;
        metrics["kpt_AP_m"] = ApMedium;
        metrics["kpt_AP_l"] = ApLarge;
        metrics["kpt_AR"] = Ar;
    }

    public void AppendTo(StringBuilder sb)
    {
        sb.Append("keypoint AP (OKS over the 4 corners, sigmas ").Append(string.Join(", ", Sigmas.Select(s => PythonFormat.Fixed(s, 3))))
          .Append(", area = ground-truth area, maxDets 20):\n");
        sb.Append("  kpt_mAP ").Append(F(Map)).Append(", kpt_AP_50 ").Append(F(Ap50)).Append(", kpt_AP_75 ").Append(F(Ap75))
          .Append(", kpt_AP_m ").Append(F(ApMedium)).Append(", kpt_AP_l ").Append(F(ApLarge)).Append(", kpt_AR ").Append(F(Ar)).Append('\n');
    }

    private static string F(double v) => PythonFormat.Fixed(v, 3);
}
