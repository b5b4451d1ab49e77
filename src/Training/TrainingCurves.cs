using ScottPlot;

namespace NanoDet.Training;

/// <summary>Loss terms per epoch and validation metrics as one PNG (<c>save_dir/curves.png</c>).</summary>
public static class TrainingCurves
{
    public static void Save(IReadOnlyList<EpochRecord> history, string saveKey, string path)
    {
        if (history.Count == 0) return;
        var multi = new Multiplot();
        multi.AddPlots(2);
        var loss = multi.GetPlot(0);
        var epochs = history.Select(h => (double)h.Epoch + 1).ToArray();
        foreach (var key in history.SelectMany(h => h.Losses.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal))
        {
            var ys = history.Select(h => h.Losses.TryGetValue(key, out var v) ? v : double.NaN).ToArray();
            var sc = loss.Add.Scatter(epochs, ys);
            sc.LegendText = key;
            sc.MarkerSize = 3;
        }
        loss.Title("training loss (epoch means)");
        loss.XLabel("epoch");
        loss.ShowLegend(Alignment.UpperRight);

        var val = multi.GetPlot(1);
        var validated = history.Where(h => h.Metrics is not null).ToList();
        foreach (var key in new[] { saveKey, "AP_50", "AP_75", "quad_mAP" }.Distinct())
        {
            if (!validated.Any(h => h.Metrics!.ContainsKey(key))) continue;
            var pts = validated.Where(h => h.Metrics!.ContainsKey(key)).ToList();
            var sc = val.Add.Scatter(pts.Select(h => (double)h.Epoch + 1).ToArray(), pts.Select(h => h.Metrics![key]).ToArray());
            sc.LegendText = key;
        }
        val.Title("validation (EMA weights)");
        val.XLabel("epoch");
        val.Axes.SetLimitsY(0, 1);
        val.ShowLegend(Alignment.LowerRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        multi.SavePng(path, 900, 900);
    }
}
