using System.Text;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Numerics;

namespace NanoDet.Evaluators.Reporting;

/// <summary>
/// The per-class table as NanoDet logs it: markdown "pipe" style, two classes per row (class | AP50 | mAP
/// twice), values ×100 with one decimal ("nan" for a class without ground truth), numbers left-aligned, and
/// each column as wide as its widest cell or its header + 2, the way NanoDet's table library lays it out.
/// </summary>
internal static class PerClassTable
{
    public static string Format(IReadOnlyList<ClassMetrics> classes)
    {
        if (classes.Count == 0) return "";
        string[] header = ["class", "AP50", "mAP"];
        int columns = Math.Min(6, classes.Count * header.Length);
        var cells = new List<string>();
        foreach (var c in classes)
        {
            cells.Add(c.Name);
            cells.Add(PythonFormat.Fixed(c.Ap50 * 100, 1));
            cells.Add(PythonFormat.Fixed(c.Map * 100, 1));
        }
        int rows = (cells.Count + columns - 1) / columns;
        var headers = Enumerable.Range(0, columns).Select(i => header[i % header.Length]).ToArray();
        var widths = new int[columns];
        for (int col = 0; col < columns; col++)
        {
            widths[col] = headers[col].Length + 2;
            for (int row = 0; row < rows; row++)
                widths[col] = Math.Max(widths[col], Cell(cells, row, col, columns).Length);
        }

        var sb = new StringBuilder();
        AppendRow(sb, headers, widths);
        sb.Append('|');
        foreach (var w in widths) sb.Append(':').Append('-', w + 1).Append('|');
        sb.Append('\n');
        for (int row = 0; row < rows; row++)
            AppendRow(sb, Enumerable.Range(0, columns).Select(col => Cell(cells, row, col, columns)).ToArray(), widths);
        return sb.ToString();
    }

    private static string Cell(List<string> cells, int row, int col, int columns)
    {
        int i = row * columns + col;
        return i < cells.Count ? cells[i] : "";
    }

    private static void AppendRow(StringBuilder sb, string[] values, int[] widths)
    {
        sb.Append('|');
        for (int i = 0; i < values.Length; i++) sb.Append(' ').Append(values[i].PadRight(widths[i])).Append(" |");
        sb.Append('\n');
    }
}
