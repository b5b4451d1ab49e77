using System.Globalization;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Numerics;
using ScottPlot;

namespace NanoDet.Evaluators.Plots;

/// <summary>
/// Precision–recall curves from the accumulated precision[T, R, K, area all, maxDets 100]: the interpolated
/// precision COCO averages, at each of the 101 recall thresholds. Overall = mean over classes with ground truth;
/// ".50:.95" = mean over the 10 IoU thresholds as well. The area under each curve is the AP reported.
/// </summary>
internal static class PrCurvePlotter
{
    public const string OverallFile = "pr_curve.png";
    public const string PerClassFile = "pr_curve_per_class.png";

    /// <summary>Writes the overall plot; returns its path.</summary>
    public static string Overall(CocoAccumulation acc, double[] stats, string directory, int width, int height)
    {
        PlotStyle.ChooseFont();
        var plt = new Plot();
        var p = acc.Parameters;
        var recall = p.RecallThresholds;
        var classes = Enumerable.Range(0, acc.K).ToArray();
        AddCurve(plt, recall, Curve(acc, classes, 0, 1), $"IoU=.50 (AP {Fixed(stats[1])})", PlotStyle.Iou50);
        int t75 = p.IndexOfIou(0.75);
        if (t75 >= 0) AddCurve(plt, recall, Curve(acc, classes, t75, t75 + 1), $"IoU=.75 (AP {Fixed(stats[2])})", PlotStyle.Iou75);
        AddCurve(plt, recall, Curve(acc, classes, 0, p.T), $"IoU=.50:.95 (mAP {Fixed(stats[0])})", PlotStyle.IouAll);
        plt.Title($"Precision-recall, all classes (area all, maxDets {p.MaxDets[^1]})");
        Finish(plt);
        plt.ShowLegend(Alignment.LowerLeft);
        string path = Path.Combine(directory, OverallFile);
        plt.SavePng(path, width, height);
        return path;
    }

    /// <summary>Writes one grid image with a small plot per class; returns its path.</summary>
    public static string PerClass(CocoAccumulation acc, IReadOnlyList<ClassMetrics> perClass, string directory, int cellWidth, int cellHeight)
    {
        PlotStyle.ChooseFont();
        var p = acc.Parameters;
        int columns = Math.Min(6, Math.Max(1, (int)Math.Ceiling(Math.Sqrt(acc.K))));
        int rows = Math.Max(1, (acc.K + columns - 1) / columns);
        Multiplot? multi = null;
        for (int k = 0; k < acc.K; k++)
        {
            var plt = new Plot();
            var c = perClass[k];
            if (double.IsNaN(c.Ap50))
            {
                plt.Title($"{c.Name}: no ground truth");
            }
            else
            {
                AddCurve(plt, p.RecallThresholds, Curve(acc, [k], 0, 1), "IoU=.50", PlotStyle.Iou50);
                AddCurve(plt, p.RecallThresholds, Curve(acc, [k], 0, p.T), "IoU=.50:.95", PlotStyle.IouAll);
                plt.Title($"{c.Name}: AP50 {Fixed(c.Ap50)}, mAP {Fixed(c.Map)}");
                plt.ShowLegend(Alignment.LowerLeft);
            }
            Finish(plt);
            if (multi is null) multi = new Multiplot(plt); // starts with this plot (the default constructor adds an empty one)
            else multi.AddPlot(plt);
        }
        if (multi is null) throw new InvalidOperationException("no classes to plot");
        multi.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        string path = Path.Combine(directory, PerClassFile);
        multi.SavePng(path, columns * cellWidth, rows * cellHeight);
        return path;
    }

    /// <summary>Interpolated precision at each recall threshold, averaged over IoU thresholds [t0, t1) and the given classes (entries &gt; −1).</summary>
    public static double[] Curve(CocoAccumulation acc, int[] classes, int t0, int t1)
    {
        var p = acc.Parameters;
        var y = new double[p.R];
        var values = new List<double>();
        for (int r = 0; r < p.R; r++)
        {
            values.Clear();
            for (int t = t0; t < t1; t++)
                foreach (int k in classes)
                {
                    double v = acc.Precision[acc.PrecisionIndex(t, r, k, 0, p.M - 1)];
                    if (v > -1) values.Add(v);
                }
            y[r] = values.Count == 0 ? double.NaN : NumpyMean.Mean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
        }
        return y;
    }

    private static void AddCurve(Plot plt, double[] x, double[] y, string label, Color color)
    {
        if (y.All(double.IsNaN)) return;
        var line = plt.Add.ScatterLine(x, y.Select(v => double.IsNaN(v) ? 0 : v).ToArray());
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2;
    }

    private static void Finish(Plot plt)
    {
        plt.XLabel("recall");
        plt.YLabel("precision");
        plt.Axes.SetLimits(0, 1, 0, 1.05);
    }

    private static string Fixed(double v) =>
        double.IsNaN(v) || v < 0 ? "n/a" : PythonFormat.Fixed(v, 3).ToString(CultureInfo.InvariantCulture);
}
