using ScottPlot;

namespace NanoDet.Host.Pose;

/// <summary>
/// <c>pose_error_vs_distance.png</c>: distance error (% of the true distance) and rotation error (degrees) of every
/// matched plate against its true distance, model and noise reference, with the bin edges marked.
/// </summary>
internal static class PoseErrorPlot
{
    public const string FileName = "pose_error_vs_distance.png";

    /// <summary>Writes the plot into <paramref name="directory"/>; null when there is nothing to plot.</summary>
    public static string? Save(PoseEvaluation.Result r, string directory)
    {
        if (r.Model.Count == 0 && r.Reference.Count == 0) return null;
        var multi = new Multiplot();
        multi.AddPlots(2);
        Panel(multi.GetPlot(0), r, s => s.DistancePercent, "distance error (% of true distance)");
        Panel(multi.GetPlot(1), r, s => s.RotationError, "rotation error (degrees)");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        multi.SavePng(path, 900, 900);
        return path;
    }

    private static void Panel(Plot plot, PoseEvaluation.Result r, Func<PoseErrorSample, double> value, string label)
    {
        foreach (var (name, samples, color) in new[] { ("model", r.Model, Colors.C0), ("reference: true corners + model corner noise", r.Reference, Colors.C1) })
        {
            if (samples.Count == 0) continue;
            var sc = plot.Add.ScatterPoints(samples.Select(s => s.TrueDistance).ToArray(), samples.Select(value).ToArray());
            sc.LegendText = $"{name} ({samples.Count})";
            sc.Color = color.WithAlpha(0.6);
            sc.MarkerSize = 4;
        }
        foreach (var (lo, _) in PoseEvaluation.Bins.Skip(1))
        {
            var line = plot.Add.VerticalLine(lo);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
        }
        // the top 2 % are outliers (IPPE's mirror solution); keep the bulk readable
        var all = r.Model.Concat(r.Reference).Select(value).Where(double.IsFinite).OrderBy(v => v).ToArray();
        double top = all.Length == 0 ? 1 : all[Math.Min(all.Length - 1, (int)(0.98 * all.Length))];
        plot.Axes.SetLimitsY(0, Math.Max(1e-3, top * 1.1));
        plot.Title(label + " vs true distance (the worst 2 % lie above the top)");
        plot.XLabel("true distance (m)");
        plot.YLabel(label);
        plot.ShowLegend(Alignment.UpperLeft);
    }
}
