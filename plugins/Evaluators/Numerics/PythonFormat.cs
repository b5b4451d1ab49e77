using System.Globalization;
using System.Numerics;

namespace NanoDet.Evaluators.Numerics;

/// <summary>
/// Fixed-point formatting identical to Python's <c>'{:0.3f}'.format(x)</c>: the exact binary value rounded half
/// to even. .NET rounds exact ties away from zero (0.0625 → "0.063", Python "0.062"), and AP values that are
/// sums of simple fractions do hit exact ties, so the summary lines use this instead of <c>ToString("F3")</c>.
/// </summary>
internal static class PythonFormat
{
    /// <summary>Formats <paramref name="value"/> with <paramref name="decimals"/> digits after the point; "nan", "inf", "-inf" as Python.</summary>
    public static string Fixed(double value, int decimals)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        bool negative = double.IsNegative(value);
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponentBits = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = exponentBits == 0 ? fraction : fraction | (1L << 52);
        int exponent = (exponentBits == 0 ? 1 : exponentBits) - 1075; // value = mantissa * 2^exponent

        BigInteger scaled = mantissa * BigInteger.Pow(10, decimals);
        BigInteger rounded;
        if (exponent >= 0)
        {
            rounded = scaled << exponent;
        }
        else
        {
            var denominator = BigInteger.One << -exponent;
            rounded = BigInteger.DivRem(scaled, denominator, out var remainder);
            int cmp = (remainder * 2).CompareTo(denominator);
            if (cmp > 0 || (cmp == 0 && !rounded.IsEven)) rounded += 1;
        }

        string digits = rounded.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        string text = decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..];
        return negative ? "-" + text : text;
    }
}
