namespace NanoDet.Datasets.Common;

/// <summary>
/// The folder a dataset's image file names are relative to. Resolves names safely: an absolute name or one
/// with <c>..</c> that leaves the folder is rejected (a label file must not make the tool read arbitrary files).
/// </summary>
public sealed class ImageFolder
{
    private readonly string _rootWithSeparator;

    public ImageFolder(string root)
    {
        Root = Path.GetFullPath(root);
        _rootWithSeparator = Path.EndsInDirectorySeparator(Root) ? Root : Root + Path.DirectorySeparatorChar;
    }

    /// <summary>Absolute folder path.</summary>
    public string Root { get; }

    /// <summary>Absolute path of <paramref name="fileName"/>, or null when it escapes the folder.</summary>
    public string? Resolve(string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || Path.IsPathRooted(fileName)) return null;
        var normalised = fileName.Replace('\\', '/');
        var full = Path.GetFullPath(Path.Combine(Root, normalised));
        return full.StartsWith(_rootWithSeparator, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>Path of <paramref name="fullPath"/> relative to the folder, with '/' separators.</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    /// <summary>Every image file under the folder (recursive), relative, sorted ordinally.</summary>
    public IReadOnlyList<string> ListImages() =>
        !Directory.Exists(Root)
            ? []
            : Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => ImageHeader.Extensions.Contains(Path.GetExtension(f)))
                .Select(Relative)
                .Order(StringComparer.Ordinal)
                .ToArray();
}
