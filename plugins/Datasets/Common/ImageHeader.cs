using System.Buffers.Binary;
using OpenCvSharp;

namespace NanoDet.Datasets.Common;

/// <summary>
/// Image width and height from the file header without decoding the pixels (PNG, JPEG, BMP, WebP, GIF); other
/// formats fall back to a full OpenCV decode. Lets readers check every image cheaply at load time.
/// </summary>
public static class ImageHeader
{
    /// <summary>Extensions treated as images when listing a folder.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".jp2", ".pgm", ".ppm", ".pbm",
    };

    /// <summary>Size of the image at <paramref name="path"/>, or null when the file is not a readable image.</summary>
    public static (int Width, int Height)? TryRead(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
            var head = new byte[32];
            int n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var size = n >= 24 ? FromHeader(head.AsSpan(0, n), f) : null;
            if (size is { } s) return s.Width > 0 && s.Height > 0 ? s : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return Decode(path);
    }

    private static (int Width, int Height)? FromHeader(ReadOnlySpan<byte> h, FileStream f)
    {
        // PNG: signature, then the IHDR chunk with big-endian width and height.
        if (h[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) && h[12..16].SequenceEqual("IHDR"u8))
            return (BinaryPrimitives.ReadInt32BigEndian(h[16..]), BinaryPrimitives.ReadInt32BigEndian(h[20..]));
        // JPEG: walk the marker segments to the first start-of-frame.
        if (h[0] == 0xFF && h[1] == 0xD8) return Jpeg(f);
        // BMP: BITMAPINFOHEADER width, height (negative = top-down).
        if (h[0] == 'B' && h[1] == 'M' && h.Length >= 26)
            return (BinaryPrimitives.ReadInt32LittleEndian(h[18..]), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(h[22..])));
        // GIF: logical screen size.
        if (h[..3].SequenceEqual("GIF"u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(h[6..]), BinaryPrimitives.ReadUInt16LittleEndian(h[8..]));
        if (h[..4].SequenceEqual("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8)) return WebP(h, f);
        return null;
    }

    private static (int, int)? Jpeg(FileStream f)
    {
        f.Position = 2;
        Span<byte> seg = stackalloc byte[9];
        while (true)
        {
            int b = f.ReadByte();
            if (b < 0) return null;
            if (b != 0xFF) continue;
            int marker;
            do marker = f.ReadByte(); while (marker == 0xFF);
            if (marker < 0) return null;
            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7) continue; // markers without a length
            if (marker is 0xD9 or 0xDA) return null; // end of image / start of scan before any frame header
            if (f.ReadAtLeast(seg[..2], 2, false) < 2) return null;
            int len = BinaryPrimitives.ReadUInt16BigEndian(seg);
            bool sof = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (sof)
            {
                if (f.ReadAtLeast(seg[..5], 5, false) < 5) return null;
                return (BinaryPrimitives.ReadUInt16BigEndian(seg[3..]), BinaryPrimitives.ReadUInt16BigEndian(seg[1..]));
            }
            if (len < 2) return null;
            f.Position += len - 2;
        }
    }

    private static (int, int)? WebP(ReadOnlySpan<byte> h, FileStream f)
    {
        var chunk = h[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
            return (1 + (h[24] | h[25] << 8 | h[26] << 16), 1 + (h[27] | h[28] << 8 | h[29] << 16));
        Span<byte> more = stackalloc byte[30];
        f.Position = 0;
        if (f.ReadAtLeast(more, 30, false) < 30) return null;
        if (chunk.SequenceEqual("VP8 "u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(more[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(more[28..]) & 0x3FFF);
        if (chunk.SequenceEqual("VP8L"u8))
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(more[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        return null;
    }

    private static (int, int)? Decode(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            // OpenCV refuses an empty buffer with an ArgumentException that names nothing.
            if (bytes.Length == 0) return null;
            using var m = Cv2.ImDecode(bytes, ImreadModes.Unchanged);
            return m.Empty() ? null : (m.Width, m.Height);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (OpenCVException) { return null; }
        catch (ArgumentException) { return null; }
    }
}
