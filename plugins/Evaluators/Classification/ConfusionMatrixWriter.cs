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

    /// <summary>White (0) to dark blue (1).</summary>
    private static Color Shade(double share) =>
        new((byte)(255 - 222 * share), (byte)(255 - 173 * share), (byte)(255 - 108 * share));

    /// <summary>Heat map of each true class's column normalised to its total, with the counts written in the cells.</summary>
    public static string WritePng(ConfusionMatrix m, string directory, int width, int height)
    {
        NanoDet.Evaluators.Plots.PlotStyle.ChooseFont();
        int n = m.Labels.Count;
        var plt = new Plot();
        for (int t = 0; t < n; t++)
        {
            double total = 0;
            for (int p = 0; p < n; p++) total += m.Counts[p][t];
            for (int p = 0; p < n; p++)
            {
                // predicted class p is row p from the top: y = n − 1 − p
                double share = total > 0 ? m.Counts[p][t] / total : 0;
                double y = n - 1 - p;
                var cell = plt.Add.Rectangle(t - 0.5, t + 0.5, y - 0.5, y + 0.5);
                cell.FillStyle.Color = Shade(share);
                cell.LineStyle.Width = 0;
                if (m.Counts[p][t] == 0) continue;
                var label = plt.Add.Text(m.Counts[p][t].ToString(System.Globalization.CultureInfo.InvariantCulture), t, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
            }
        }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plt.Axes.Bottom.SetTicks(positions, [.. m.Labels.Select(l => l == ConfusionMatrixBuilder.Background ? "bg" : l)]);
        plt.Axes.Left.SetTicks(positions, [.. m.Labels.Reverse()]);
        plt.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plt.XLabel("true class");
        plt.YLabel("predicted class");
        plt.Title($"Confusion matrix (score >= {PythonFormat.Fixed(m.ScoreThreshold, 2)}, IoU >= {PythonFormat.Fixed(m.Iou, 2)}; colour = share of the true class)");
        string path = Path.Combine(directory, PngFile);
        plt.SavePng(path, width, height);
        return path;
    }
}
