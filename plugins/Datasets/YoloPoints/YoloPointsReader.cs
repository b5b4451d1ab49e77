using System.Globalization;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.YoloPoints;

/// <summary>
/// Reads one .txt per image (SJTU 9-number or YOLO-pose 13/17-number lines, normalised coordinates). Every
/// problem names <c>file:line</c>. Values must lie in [0, 1] widened by the border margin on each side (corners of
/// plates cut by the frame; 1e-6 slack for rounding); class ids must be integers
/// below the class count; corner visibility 0 (not labelled) counts as partial points.
/// </summary>
public sealed class YoloPointsReader(DatasetBuilder builder, PointOrder order, TxtLayout forced)
{
    private const double Slack = 1e-6;

    /// <summary>Parses the label file of one image of size <paramref name="width"/> × <paramref name="height"/>.</summary>
    public List<Annotation> ReadFile(string file, string shown, int width, int height)
    {
        var objects = new List<Annotation>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            builder.Skips.Skip(shown, SkipReasons.MalformedFile, $"cannot read: {e.Message}", false);
            return objects;
        }
        var layout = forced;
        for (int li = 0; li < lines.Length; li++)
        {
            var text = lines[li].Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var at = $"{shown}:{li + 1}";
            var tokens = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (layout == TxtLayout.Auto && tokens.Length is 9 or 13 or 17) layout = (TxtLayout)tokens.Length;
            int expected = layout == TxtLayout.Auto ? 0 : (int)layout;
            if (tokens.Length != expected)
            {
                var want = expected == 0 ? "9 (SJTU), 13 or 17 (YOLO-pose)" : $"{expected} ({Describe(layout)}, as {(forced == TxtLayout.Auto ? "earlier lines of this file" : "configured")})";
                builder.Skips.Skip(at, SkipReasons.WrongNumberCount, $"{tokens.Length} numbers, expected {want}", false);
                continue;
            }
            var raw = ParseLine(tokens, layout, width, height, at);
            if (raw is not null) builder.AddObject(raw, width, height, at, objects);
        }
        return objects;
    }

    private RawObject? ParseLine(string[] t, TxtLayout layout, int width, int height, string at)
    {
        var v = new double[t.Length];
        for (int i = 0; i < t.Length; i++)
        {
            if (!NumberText.TryParse(t[i], out v[i]))
                return Skip(at, SkipReasons.InvalidNumber, $"value {i + 1} '{t[i]}' is not a number");
            if (!double.IsFinite(v[i]))
                return Skip(at, SkipReasons.NonFinite, $"value {i + 1} is '{t[i]}'");
        }
        if (v[0] < 0 || v[0] != Math.Floor(v[0]) || v[0] >= builder.Classes.Count)
            return Skip(at, SkipReasons.UnknownClass, $"class id {t[0]} is not one of the {builder.Classes.Count} classes (0..{builder.Classes.Count - 1})");
        int label = (int)v[0];

        int first = layout == TxtLayout.Sjtu ? 1 : 5;
        int stride = layout == TxtLayout.Pose17 ? 3 : 2;
        var xy = new float[8];
        for (int k = 0; k < 4; k++)
        {
            int i = first + k * stride;
            if (layout == TxtLayout.Pose17 && v[i + 2] == 0)
                return Skip(at, SkipReasons.PartialPoints, $"point {k + 1} has visibility 0 (not labelled)");
            if (!InBand(v[i]) || !InBand(v[i + 1]))
                return Skip(at, SkipReasons.CornerBeyondMargin,
                    $"point {k + 1} ({Show(v[i])}, {Show(v[i + 1])}) is outside [{Show(-Margin)}, {Show(1 + Margin)}] (border_margin {Show(Margin)})");
            xy[2 * k] = (float)(v[i] * width);
            xy[2 * k + 1] = (float)(v[i + 1] * height);
        }
        double[]? box = null;
        if (layout != TxtLayout.Sjtu)
        {
            double cx = v[1], cy = v[2], w = v[3], h = v[4];
            if (!InBand(cx) || !InBand(cy) || w < -Slack || h < -Slack || w > 1 + 2 * Margin + Slack || h > 1 + 2 * Margin + Slack)
                return Skip(at, SkipReasons.OutOfRange,
                    $"box (cx {Show(cx)}, cy {Show(cy)}, w {Show(w)}, h {Show(h)}) is outside the image and its border margin {Show(Margin)}");
            box = [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height];
        }
        return new RawObject(label, box, order.ToInternal(xy));
    }

    /// <summary>The border margin as a fraction (corners of plates cut by the frame lie slightly outside [0, 1]).</summary>
    private double Margin => Math.Max(builder.Rules.BorderMargin, 0);

    private bool InBand(double v) => builder.Rules.BorderMargin < 0 || v >= -Margin - Slack && v <= 1 + Margin + Slack;

    private RawObject? Skip(string at, string reason, string detail)
    {
        builder.Skips.Skip(at, reason, detail, false);
        return null;
    }

    private static string Show(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Describe(TxtLayout l) => l switch
    {
        TxtLayout.Sjtu => "SJTU",
        TxtLayout.Pose13 => "YOLO-pose",
        _ => "YOLO-pose with visibility",
    };
}
