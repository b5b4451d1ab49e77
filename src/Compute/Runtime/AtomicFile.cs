using System.Runtime.InteropServices;

namespace NanoDet.Compute.Runtime;

/// <summary>
/// Writes a file so that readers see either the old or the new content, never a torn one: the bytes go to a
/// temporary file in the same folder, are flushed to disk, then renamed over the target, and the folder itself is
/// flushed so the rename survives a power cut too. A crash or <c>kill -9</c> at any point leaves the previous file
/// intact (at worst a stray temporary file, which <see cref="RemoveStale"/> clears). Checkpoints, exported models,
/// predictions, cache files and label files all go through here.
/// </summary>
public static class AtomicFile
{
    private const string TempSuffix = ".tmp";

    /// <param name="path">The file to replace.</param>
    /// <param name="write">Writes the new content.</param>
    /// <param name="durable">
    /// Flush the file and its folder to disk before returning (default). Without it the rename still keeps readers
    /// from seeing a torn file, but a power cut may lose the newest content: enough for thousands of small label
    /// files that a rerun rewrites, where a flush per file would dominate the time.
    /// </param>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: durable);
            }
            File.Move(tmp, full, overwrite: true);
            if (durable) FlushDirectory(dir);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte order mark; see <see cref="Write"/>.</summary>
    public static void WriteAllText(string path, string text, bool durable = true) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true);
            w.Write(text);
        }, durable);

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    /// <summary>
    /// Deletes temporary files that <see cref="Write"/> left in <paramref name="dir"/> when its process was killed
    /// (their process id is no longer running). Files of live processes are left alone.
    /// </summary>
    public static int RemoveStale(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        int removed = 0;
        foreach (var f in Directory.EnumerateFiles(dir, "." + "*" + TempSuffix))
        {
            // .<name>.<pid>.<guid>.tmp
            var parts = Path.GetFileName(f).Split('.');
            if (parts.Length < 5 || !int.TryParse(parts[^3], out int pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try
            {
                File.Delete(f);
                removed++;
            }
            catch (IOException) { /* another cleaner got there first */ }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>fsync of the folder, so a completed rename is on disk (POSIX; elsewhere the rename is all there is).</summary>
    private static void FlushDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = open(System.Text.Encoding.UTF8.GetBytes(dir + "\0"), 0 /* O_RDONLY */);
        if (fd < 0) return; // best effort: the data is already flushed, only the rename's durability is at stake
        try
        {
            _ = fsync(fd); // best effort as above: a failed directory sync leaves the (already durable) data as it is
        }
        finally
        {
            _ = close(fd);
        }
    }

    // path: NUL-terminated UTF-8
    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}
