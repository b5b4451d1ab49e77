using System.Globalization;
using System.Text;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Pose;

namespace NanoDet.Host.Pose;

/// <summary>
/// Pose error of matched detections. Matching: per image and class, detections in descending score order each take
/// the unmatched non-crowd ground truth of highest box IoU ≥ <see cref="MatchIou"/>. The true pose is the
/// annotation's (synthetic pinhole data) or, without one, PnP of the ground-truth corners. For each pair with
/// corners on both sides the detection's corners are solved by PnP and compared: distance error (metres and % of
/// the true distance), rotation error (angle of R_trueᵀ·R_est) and yaw error. The reference line solves the
/// ground-truth corners plus Gaussian noise with the model's measured corner noise (RMS of the detected − true
/// corner coordinates of the pairs in the same distance bin), so it shows what that corner accuracy costs in pose.
/// </summary>
internal sealed class PoseEvaluation(PoseSetup setup, int seed = 0)
{
    public const double MatchIou = 0.5;

    /// <summary>Distance bins in metres; the report shows those that hold plates, plus "all".</summary>
    public static readonly IReadOnlyList<(double Lo, double Hi)> Bins = [(0, 1), (1, 3), (3, 8), (8, double.PositiveInfinity)];

    /// <summary>The errors, the per-bin corner noise and the bookkeeping counts.</summary>
    public sealed record Result(
        IReadOnlyList<PoseErrorSample> Model, IReadOnlyList<PoseErrorSample> Reference, IReadOnlyList<double> NoisePx,
        int Pairs, int GroundTruthWithPose, int Unsolved);

    public Result Compute(IReadOnlyList<ImageRecord> images, IReadOnlyList<ImageDetection> detections)
    {
        var byImage = detections.GroupBy(d => d.ImageId).ToDictionary(g => g.Key, g => g.Select(x => x.Detection).ToArray());
        var pairs = new List<(ObjectPose Truth, Quad TrueCorners, Quad Detected, int Label, int W, int H)>();
        int withPose = 0, unsolved = 0;
        foreach (var image in images)
        {
            var truths = image.Annotations.Select(a => a.IsCrowd || a.Points is null ? null
                : a.Pose ?? setup.Solve(a.Label, a.Points.Value, image.Width, image.Height)).ToArray();
            withPose += truths.Count(t => t is not null);
            if (!byImage.TryGetValue(image.Id, out var dets)) continue;
            var matched = new bool[image.Annotations.Count];
            foreach (var d in dets.OrderByDescending(d => d.Score))
            {
                int best = -1;
                double bestIou = MatchIou;
                for (int g = 0; g < image.Annotations.Count; g++)
                {
                    var a = image.Annotations[g];
                    if (matched[g] || a.IsCrowd || a.Label != d.Label) continue;
                    double iou = Iou(d.Box, a.Box);
                    if (iou >= bestIou && (best < 0 || iou > bestIou)) { best = g; bestIou = iou; }
                }
                if (best < 0) continue;
                matched[best] = true;
                if (truths[best] is { } truth && d.Points is { } q)
                    pairs.Add((truth, image.Annotations[best].Points!.Value, q, d.Label, image.Width, image.Height));
            }
        }

        var noise = new double[Bins.Count];
        for (int b = 0; b < Bins.Count; b++)
        {
            var inBin = pairs.Where(p => BinOf(p.Truth.Distance) == b).ToArray();
            noise[b] = inBin.Length == 0 ? 0 : Math.Sqrt(inBin.Average(p => SquaredResidual(p.Detected, p.TrueCorners) / 8));
        }

        var model = new List<PoseErrorSample>();
        var reference = new List<PoseErrorSample>();
        var rng = new Random(seed);
        foreach (var p in pairs)
        {
            if (setup.Solve(p.Label, p.Detected, p.W, p.H) is { } est) model.Add(Error(p.Truth, est));
            else unsolved++;
            double sigma = noise[BinOf(p.Truth.Distance)];
            var noisy = Perturb(p.TrueCorners, sigma, rng);
            if (setup.Solve(p.Label, noisy, p.W, p.H) is { } refEst) reference.Add(Error(p.Truth, refEst));
        }
        return new Result(model, reference, noise, pairs.Count, withPose, unsolved);
    }

    /// <summary>The printable table.</summary>
    public static string Table(Result r, PoseSetup setup)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(string.Create(inv, $"Pose error of matched detections (box IoU >= {MatchIou:0.0}; PnP IPPE; camera {setup.CameraSource}; plates {setup.Plates.Describe()})"));
        sb.AppendLine(string.Create(inv, $"{r.Pairs} matched plates with true pose and corners, {r.Unsolved} without a PnP solution (model; the reference's n counts its own solutions); mean / median / p90"));
        sb.AppendLine("distance   source           n   dist err (m)            dist err (%)          rotation err (deg)      yaw err (deg)");
        foreach (var (name, lo, hi, bin) in Rows())
        {
            var m = r.Model.Where(s => s.TrueDistance >= lo && s.TrueDistance < hi).ToArray();
            var f = r.Reference.Where(s => s.TrueDistance >= lo && s.TrueDistance < hi).ToArray();
            if (m.Length == 0 && f.Length == 0) continue;
            sb.AppendLine(Line(name, "model", m));
            var noise = bin >= 0 ? string.Create(inv, $"{r.NoisePx[bin]:0.00} px") : "per bin";
            sb.AppendLine(Line("", $"ref σ={noise}", f));
        }
        return sb.ToString();
    }

    /// <summary>Metrics for the JSON report, e.g. <c>pose_1-3m_distance_err_pct_median</c>.</summary>
    public static Dictionary<string, double> Metrics(Result r)
    {
        var m = new Dictionary<string, double>();
        foreach (var (name, lo, hi, _) in Rows())
        {
            var key = "pose_" + name.Replace(" ", "", StringComparison.Ordinal);
            foreach (var (source, samples) in new[] { ("", r.Model), ("ref_", r.Reference) })
            {
                var s = samples.Where(x => x.TrueDistance >= lo && x.TrueDistance < hi).ToArray();
                if (s.Length == 0) continue;
                m[$"{key}_{source}count"] = s.Length;
                Add(m, $"{key}_{source}distance_err_m", s.Select(x => x.DistanceError));
                Add(m, $"{key}_{source}distance_err_pct", s.Select(x => x.DistancePercent));
                Add(m, $"{key}_{source}rotation_err_deg", s.Select(x => x.RotationError));
                Add(m, $"{key}_{source}yaw_err_deg", s.Select(x => x.YawError));
            }
        }
        return m;
    }

    private static void Add(Dictionary<string, double> m, string key, IEnumerable<double> values)
    {
        var st = PoseErrorStats.Of(values);
        m[key + "_mean"] = st.Mean;
        m[key + "_median"] = st.Median;
        m[key + "_p90"] = st.P90;
    }

    private static IEnumerable<(string Name, double Lo, double Hi, int Bin)> Rows()
    {
        for (int b = 0; b < Bins.Count; b++)
        {
            var (lo, hi) = Bins[b];
            var name = double.IsPositiveInfinity(hi) ? $">= {lo:0} m" : lo == 0 ? $"< {hi:0} m" : $"{lo:0}-{hi:0} m";
            yield return (name, lo, hi, b);
        }
        yield return ("all", 0, double.PositiveInfinity, -1);
    }

    private static string Line(string bin, string source, PoseErrorSample[] s)
    {
        string Triple(Func<PoseErrorSample, double> f, string fmt)
        {
            var st = PoseErrorStats.Of(s.Select(f));
            return string.Join(" / ", new[] { st.Mean, st.Median, st.P90 }.Select(v => double.IsNaN(v) ? "-" : v.ToString(fmt, CultureInfo.InvariantCulture)));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{bin,-10} {source,-15} {s.Length,4}   {Triple(x => x.DistanceError, "0.000"),-23} {Triple(x => x.DistancePercent, "0.0"),-21} {Triple(x => x.RotationError, "0.0"),-23} {Triple(x => x.YawError, "0.0")}");
    }

    public static int BinOf(double distance)
    {
        for (int b = 0; b < Bins.Count; b++)
            if (distance >= Bins[b].Lo && distance < Bins[b].Hi) return b;
        return Bins.Count - 1;
    }

    private static PoseErrorSample Error(ObjectPose truth, ObjectPose est) => new(
        truth.Distance, Math.Abs(est.Distance - truth.Distance),
        truth.RotationAngleTo(est) * 180 / Math.PI, ObjectPose.AngleDifference(est.Yaw, truth.Yaw) * 180 / Math.PI);

    private static double SquaredResidual(Quad a, Quad b)
    {
        double s = 0;
        for (int k = 0; k < 4; k++) s += Sq(a[k].X - b[k].X) + Sq(a[k].Y - b[k].Y);
        return s;
    }

    private static Quad Perturb(Quad q, double sigma, Random rng)
    {
        PointF2 P(PointF2 p) => new((float)(p.X + sigma * Gaussian(rng)), (float)(p.Y + sigma * Gaussian(rng)));
        return new Quad(P(q.Tl), P(q.Bl), P(q.Br), P(q.Tr));
    }

    /// <summary>Standard normal by Box–Muller.</summary>
    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Iou(Box a, Box b)
    {
        double iw = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), ih = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        return inter / (a.Area + b.Area - inter);
    }

    private static double Sq(double v) => v * v;
}
