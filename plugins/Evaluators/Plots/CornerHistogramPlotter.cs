using System.Globalization;
using NanoDet.Evaluators.Corners;
using ScottPlot;

namespace NanoDet.Evaluators.Plots;

/// <summary>Histogram of per-corner errors (pixels) of the matched pairs, with the PCK thresholds and the mean marked.</summary>
internal static class CornerHistogramPlotter
{
    public const string FileName = "corner_error_hist.png";

    /// <summary>Writes the histogram; returns its path, or null when no corner was measured.</summary>
    public static string? Write(CornerMetrics corners, string directory, int width, int height)
    {
        if (corners.CornerDistances.Length == 0) return null;
        PlotStyle.ChooseFont();
        var sorted = (double[])corners.CornerDistances.Clone();
        Array.Sort(sorted);
        // Range up to the 99th percentile (at least 6 px so the 5 px line shows); larger errors go in the last bin.
        double p99 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.99 * sorted.Length) - 1)];
        double top = Math.Max(6, Math.Ceiling(p99));
        const int bins = 40;
        double binWidth = top / bins;
        var counts = new double[bins];
        foreach (var d in sorted) counts[Math.Min(bins - 1, (int)(d / binWidth))]++;
        var centers = Enumerable.Range(0, bins).Select(i => (i + 0.5) * binWidth).ToArray();

        var plt = new Plot();
        var bars = plt.Add.Bars(centers, counts);
        foreach (var bar in bars.Bars)
        {
            bar.Size = binWidth * 0.95;
            bar.FillColor = Colors.C0;
            bar.LineWidth = 0;
        }
        AddLine(plt, 2, $"PCK@2px = {Percent(corners.Pck(2))}", Colors.C2);
        AddLine(plt, 5, $"PCK@5px = {Percent(corners.Pck(5))}", Colors.C3);
        AddLine(plt, Math.Min(top, corners.CornerDistances.Average()), $"mean corner error = {corners.CornerDistances.Average().ToString("0.00", CultureInfo.InvariantCulture)} px", Colors.C1);
        plt.Title($"Corner error: {corners.Pairs} matched detections, {corners.CornerDistances.Length} corners");
        plt.XLabel($"corner error in pixels (the last bin holds all errors >= {(top - binWidth).ToString("0.##", CultureInfo.InvariantCulture)})");
        plt.YLabel("corners");
        plt.Axes.SetLimits(0, top, 0, counts.Max() * 1.1);
        plt.ShowLegend(Alignment.UpperRight);
        string path = Path.Combine(directory, FileName);
        plt.SavePng(path, width, height);
        return path;
    }

    private static void AddLine(Plot plt, double x, string label, Color color)
    {
        var line = plt.Add.VerticalLine(x);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2;
        line.LinePattern = LinePattern.Dashed;
    }

    private static string Percent(double v) => double.IsNaN(v) ? "n/a" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
