namespace NanoDet.Host.Runtime;

/// <summary>
/// Writes a file so that readers see either the old or the new content, never a torn one: the bytes go to a
/// temporary file in the same folder, are flushed to disk, then renamed over the target. A crash or kill at
/// any point leaves the previous file intact.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true);
            w.Write(text);
        });
}
