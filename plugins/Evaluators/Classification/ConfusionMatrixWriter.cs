using System.Text.Json;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Numerics;
using ScottPlot;

namespace NanoDet.Evaluators.Classification;

/// <summary>Writes the confusion matrix as <c>confusion_matrix.json</c> and a heat map <c>confusion_matrix.png</c>.</summary>
internal static class ConfusionMatrixWriter
{
    public const string JsonFile = "confusion_matrix.json";
    public const string PngFile = "confusion_matrix.png";

    /// <summary>The file form of <see cref="ConfusionMatrix.WriteJson"/>; returns its path.</summary>
    public static string WriteJson(ConfusionMatrix m, string directory)
    {
        string path = Path.Combine(directory, JsonFile);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        m.WriteJson(w);
        return path;
    }

    /// <summary>Heat map of each true class's column normalised to its total, with the counts written in the cells.</summary>
    public static string WritePng(ConfusionMatrix m, string directory, int width, int height)
    {
        NanoDet.Evaluators.Plots.PlotStyle.ChooseFont();
        int n = m.Labels.Count;
        var share = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            double total = 0;
            for (int p = 0; p < n; p++) total += m.Counts[p][t];
            // heat map rows run bottom-up: predicted class p is drawn at row n - 1 - p so the first class is on top
            for (int p = 0; p < n; p++) share[n - 1 - p, t] = total > 0 ? m.Counts[p][t] / total : double.NaN;
        }
        var plt = new Plot();
        var heat = plt.Add.Heatmap(share);
        heat.Colormap = new ScottPlot.Colormaps.Blues();
        heat.Extent = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        for (int p = 0; p < n; p++)
            for (int t = 0; t < n; t++)
            {
                if (m.Counts[p][t] == 0) continue;
                var label = plt.Add.Text(m.Counts[p][t].ToString(System.Globalization.CultureInfo.InvariantCulture), t, n - 1 - p);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = share[n - 1 - p, t] > 0.5 ? Colors.White : Colors.Black;
            }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plt.Axes.Bottom.SetTicks(positions, [.. m.Labels]);
        plt.Axes.Left.SetTicks(positions, [.. m.Labels.Reverse()]);
        plt.XLabel("true class");
        plt.YLabel("predicted class");
        plt.Title($"Confusion matrix (score >= {PythonFormat.Fixed(m.ScoreThreshold, 2)}, IoU >= {PythonFormat.Fixed(m.Iou, 2)}; colour = share of the true class)");
        string path = Path.Combine(directory, PngFile);
        plt.SavePng(path, width, height);
        return path;
    }
}
