using System.Globalization;

namespace NanoDet.Datasets.Common;

/// <summary>Culture-invariant number parsing and round-trip formatting for label files.</summary>
public static class NumberText
{
    /// <summary>Shortest text that reads back as the same float (integers print without a decimal point).</summary>
    public static string Format(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Shortest text that reads back as the same double.</summary>
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Parses a decimal number (invariant culture, exponent allowed, also nan/inf spelled any case).</summary>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (text is null) return false;
        var t = text.Trim();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        switch (t.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
            default: return false;
        }
    }
}
