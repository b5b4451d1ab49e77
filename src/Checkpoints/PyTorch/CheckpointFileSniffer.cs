using System.Buffers.Binary;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Checkpoints.PyTorch;

/// <summary>
/// Decides from the first bytes (not the extension) whether a file is a torch.save zip checkpoint, and gives a
/// precise, actionable error for everything else: legacy PyTorch formats, bare pickles, safetensors, empty files.
/// </summary>
internal static class CheckpointFileSniffer
{
    private const int HeadLength = 512;

    /// <summary>Pickle LONG1 of torch's legacy magic number 0x1950a86a20f9469cfc6c, little-endian.</summary>
    private static readonly byte[] LegacyMagic = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>Throws <see cref="InputDataException"/> unless <paramref name="path"/> starts like a zip archive.</summary>
    public static void EnsureZipCheckpoint(string path)
    {
        byte[] head;
        long length;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = f.Length;
            head = new byte[(int)Math.Min(HeadLength, length)];
            f.ReadExactly(head);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"{path}: cannot read the checkpoint: {e.Message}", e);
        }

        if (head.Length == 0)
            throw new InputDataException($"{path}: the file is empty");
        if (head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2], head[3]) is (3, 4) or (5, 6))
            return;
        if (head[0] == 0x80 && head.AsSpan(0, Math.Min(head.Length, 40)).IndexOf(LegacyMagic) >= 0)
            throw new InputDataException(
                $"{path}: this is PyTorch's legacy checkpoint format (torch.save before 1.6, or _use_new_zipfile_serialization=False), " +
                $"which is not read here. Re-save it once with PyTorch 1.13 or newer: {ResaveCommand(path)}");
        if (head.Length > 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8))
            throw new InputDataException(
                $"{path}: this is PyTorch's oldest tar-based checkpoint format (before 0.4), which is not read here (legacy). " +
                $"Re-save it once with PyTorch: {ResaveCommand(path)}");
        if (head[0] == 0x80 && head.Length > 1 && head[1] is >= 2 and <= 5)
            throw new InputDataException(
                $"{path}: not a PyTorch zip checkpoint: it is a bare pickle stream, which is not read because a pickle can run " +
                "arbitrary code. Write weights with torch.save(model.state_dict(), path) (PyTorch 1.6 or newer).");
        if (LooksLikeSafetensors(head, length))
            throw new InputDataException(
                $"{path}: this is a safetensors file, not a PyTorch checkpoint: load it as safetensors (no conversion needed).");
        throw new InputDataException(
            $"{path}: not a PyTorch zip checkpoint (unrecognised content; expected a .pth/.ckpt written by torch.save).");
    }

    /// <summary>The one-line Python command that re-saves a legacy file in the zip format.</summary>
    public static string ResaveCommand(string path)
    {
        var dir = Path.GetDirectoryName(path) ?? "";
        var output = Path.Combine(dir, Path.GetFileNameWithoutExtension(path) + ".resaved" + Path.GetExtension(path));
        return $"python3 -c \"import torch; torch.save(torch.load({PyString(path)}, map_location='cpu', weights_only=True), {PyString(output)})\"";
    }

    private static string PyString(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>True when <paramref name="path"/> starts like a safetensors file (header length, then '{').</summary>
    public static bool IsSafetensors(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var head = new byte[(int)Math.Min(16, f.Length)];
        f.ReadExactly(head);
        return LooksLikeSafetensors(head, f.Length);
    }

    private static bool LooksLikeSafetensors(byte[] head, long length)
    {
        if (head.Length < 9) return false;
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
        return headerLength > 1 && headerLength <= (ulong)(length - 8) && head[8] == '{';
    }
}
