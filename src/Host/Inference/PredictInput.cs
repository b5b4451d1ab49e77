using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;

namespace NanoDet.Host.Inference;

/// <summary>
/// What <c>predict --input</c> names: one image, one video, or a folder whose images (by extension, sorted by
/// path, sub-folders included) are processed in order. Other files in a folder are ignored.
/// </summary>
internal sealed record PredictInput(PredictInputKind Kind, string Root, IReadOnlyList<string> Files)
{
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".jp2", ".pgm", ".ppm" };

    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv" };

    public static PredictInput Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var images = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (images.Count == 0)
                throw new InputDataException($"{path}: no images in the folder (extensions: {string.Join(", ", ImageExtensions.Order())})");
            return new PredictInput(PredictInputKind.Folder, full, images);
        }
        if (!File.Exists(full)) throw new InputDataException($"{path}: no such file or folder");
        var ext = Path.GetExtension(full);
        if (VideoExtensions.Contains(ext)) return new PredictInput(PredictInputKind.Video, Path.GetDirectoryName(full)!, [full]);
        if (ImageExtensions.Contains(ext)) return new PredictInput(PredictInputKind.Image, Path.GetDirectoryName(full)!, [full]);
        throw new InputDataException(
            $"{path}: unknown file type '{ext}'; images: {string.Join(" ", ImageExtensions.Order())}; videos: {string.Join(" ", VideoExtensions.Order())}");
    }

    /// <summary>Path of <paramref name="file"/> relative to the input root (output names keep sub-folders).</summary>
    public string Relative(string file) => Path.GetRelativePath(Root, file);
}
