using ScottPlot;

namespace NanoDet.Evaluators.Plots;

/// <summary>Shared look of the evaluation plots.</summary>
internal static class PlotStyle
{
    private static readonly Lock Gate = new();
    private static bool _fontChosen;

    /// <summary>A sans-serif system font when one is installed (ScottPlot picks the first family it finds otherwise).</summary>
    public static void ChooseFont()
    {
        lock (Gate)
        {
            if (_fontChosen) return;
            _fontChosen = true;
            var families = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var name in new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" })
            {
                if (!families.Contains(name)) continue;
                Fonts.Default = name;
                return;
            }
        }
    }

    public static readonly Color Iou50 = Colors.C0;
    public static readonly Color Iou75 = Colors.C2;
    public static readonly Color IouAll = Colors.C1;
}
