using System.Globalization;
using System.Text;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>Decoders for the two escaped text forms of pickle protocol 0 (STRING and UNICODE opcodes).</summary>
internal static class ProtocolZeroText
{
    /// <summary>
    /// STRING: a Python 2 <c>repr</c> of a byte string, quoted with ' or " and using backslash escapes
    /// (\\ \' \" \n \r \t \a \b \f \v \xHH and octal \ooo). Returns the raw bytes.
    /// </summary>
    public static byte[] UnescapeQuoted(ReadOnlySpan<byte> line, Func<string, Exception> fail)
    {
        if (line.Length < 2 || (line[0] != '\'' && line[0] != '"') || line[^1] != line[0])
            throw fail("STRING argument is not a quoted string");
        var body = line[1..^1];
        var result = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\')
            {
                result.Add(body[i]);
                continue;
            }
            if (++i >= body.Length) throw fail("STRING ends with a lone backslash");
            var c = (char)body[i];
            switch (c)
            {
                case '\\': result.Add((byte)'\\'); break;
                case '\'': result.Add((byte)'\''); break;
                case '"': result.Add((byte)'"'); break;
                case 'n': result.Add((byte)'\n'); break;
                case 'r': result.Add((byte)'\r'); break;
                case 't': result.Add((byte)'\t'); break;
                case 'a': result.Add(7); break;
                case 'b': result.Add(8); break;
                case 'f': result.Add(12); break;
                case 'v': result.Add(11); break;
                case '\n': break; // line continuation
                case 'x':
                    if (i + 2 >= body.Length) throw fail("STRING has a truncated \\x escape");
                    result.Add(ParseHex(body.Slice(i + 1, 2), fail));
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    {
                        var value = 0;
                        var digits = 0;
                        while (digits < 3 && i < body.Length && body[i] is >= (byte)'0' and <= (byte)'7')
                        {
                            value = value * 8 + (body[i] - '0');
                            i++;
                            digits++;
                        }
                        i--;
                        result.Add((byte)(value & 0xff));
                        break;
                    }
                default:
                    // Python keeps unknown escapes verbatim.
                    result.Add((byte)'\\');
                    result.Add(body[i]);
                    break;
            }
        }
        return [.. result];
    }

    /// <summary>UNICODE: raw-unicode-escape text (latin-1 bytes with \uXXXX and \UXXXXXXXX escapes).</summary>
    public static string RawUnicodeEscape(ReadOnlySpan<byte> line, Func<string, Exception> fail)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && (line[i + 1] == 'u' || line[i + 1] == 'U'))
            {
                var width = line[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + width > line.Length) throw fail("UNICODE has a truncated escape");
                var code = ParseHexInt(line.Slice(i + 2, width), fail);
                if (code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF) throw fail("UNICODE escape is not a code point");
                sb.Append(char.ConvertFromUtf32(code));
                i += 1 + width;
            }
            else
            {
                sb.Append((char)line[i]);
            }
        }
        return sb.ToString();
    }

    private static byte ParseHex(ReadOnlySpan<byte> digits, Func<string, Exception> fail) =>
        (byte)ParseHexInt(digits, fail);

    private static int ParseHexInt(ReadOnlySpan<byte> digits, Func<string, Exception> fail)
    {
        Span<char> chars = stackalloc char[digits.Length];
        for (var i = 0; i < digits.Length; i++) chars[i] = (char)digits[i];
        return int.TryParse(chars, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw fail("invalid hexadecimal escape");
    }
}
