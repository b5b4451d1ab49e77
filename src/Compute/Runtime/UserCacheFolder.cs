namespace NanoDet.Compute.Runtime;

/// <summary>
/// The product's cache folder: <c>$NANODET_CACHE</c>, else the user cache folder (<c>$XDG_CACHE_HOME</c> or
/// <c>~/.cache</c>, LocalApplicationData on Windows)/nanodet, else <c>.cache/nanodet</c> in the working directory.
/// Generated datasets, the oneDNN probe result and the convolution kernel choices live in sub-folders of it.
/// </summary>
public static class UserCacheFolder
{
    public const string Variable = "NANODET_CACHE";

    /// <summary>Full path of <paramref name="sub"/> under the cache root (not created).</summary>
    public static string Resolve(string sub)
    {
        var env = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(env)) return Path.Combine(Path.GetFullPath(env), sub);
        string? user;
        if (OperatingSystem.IsWindows())
            user = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        else
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            user = !string.IsNullOrWhiteSpace(xdg) ? xdg : string.IsNullOrWhiteSpace(home) ? null : Path.Combine(home, ".cache");
        }
        if (user is not null && IsWritable(user)) return Path.Combine(user, "nanodet", sub);
        return Path.GetFullPath(Path.Combine(".cache", "nanodet", sub));
    }

    private static bool IsWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".nanodet-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> holding an exclusive lock file next to <paramref name="path"/>, so processes that
    /// share the cache (parallel test runs, two trainings) read-modify-write it one at a time. Waits up to
    /// <paramref name="timeout"/>, then runs anyway (a stale lock must not stop a run).
    /// </summary>
    public static T WithLock<T>(string path, TimeSpan timeout, Func<T> action)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var lockPath = path + ".lock";
        var deadline = DateTime.UtcNow + timeout;
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            catch (IOException)
            {
                break;
            }
        }
        try
        {
            return action();
        }
        finally
        {
            held?.Dispose();
        }
    }
}
