namespace NanoDet.Datasets.Common;

/// <summary>Paths as shown in messages: relative to the working directory when inside it, else absolute.</summary>
public static class DisplayPath
{
    public static string Of(string fullPath)
    {
        var cwd = Directory.GetCurrentDirectory();
        var rel = Path.GetRelativePath(cwd, fullPath);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? fullPath : rel;
    }
}
