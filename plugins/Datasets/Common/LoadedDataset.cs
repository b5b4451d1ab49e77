using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Common;

/// <summary>A dataset fully parsed into memory; images are decoded on demand.</summary>
public sealed class LoadedDataset(ClassTable classes, IReadOnlyList<ImageRecord> images, DatasetReport report) : IDetectionDataset
{
    public ClassTable Classes { get; } = classes;

    public IReadOnlyList<ImageRecord> Images { get; } = images;

    public DatasetReport Report { get; } = report;

    public Mat ReadImage(ImageRecord record) => ReadBgr(record.Path);

    /// <summary>Decodes any OpenCV-readable file as 8-bit BGR (works with any characters in the path).</summary>
    public static Mat ReadBgr(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputDataException($"{path}: cannot read image: {e.Message}", e);
        }
        if (bytes.Length == 0) throw new InputDataException($"{path}: cannot decode image: empty file");
        Mat m;
        try
        {
            m = Cv2.ImDecode(bytes, ImreadModes.Color);
        }
        catch (Exception e) when (e is OpenCVException or ArgumentException)
        {
            throw new InputDataException($"{path}: cannot decode image ({bytes.Length} bytes)", e);
        }
        if (m.Empty())
        {
            m.Dispose();
            throw new InputDataException($"{path}: cannot decode image ({bytes.Length} bytes: not an image, or cut short)");
        }
        return m;
    }
}
