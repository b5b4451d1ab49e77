using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// A <c>dataset_writer</c> plugin: writes the annotations of image records in one file format (the plugin name is
/// the name of the dataset plugin that reads the format back, e.g. <c>XMLDataset</c>). Images are not copied;
/// file names stay relative to the image folder.
/// </summary>
public interface IDatasetWriter
{
    /// <summary>
    /// Writes <paramref name="images"/> to <paramref name="output"/>: a folder for one-file-per-image formats, a file
    /// for single-file formats (see <see cref="WritesSingleFile"/>). Returns the number of objects written.
    /// </summary>
    int Write(ClassTable classes, IReadOnlyList<ImageRecord> images, string output);

    /// <summary>True when <c>output</c> names one file (COCO JSON), false when it names a folder.</summary>
    bool WritesSingleFile { get; }
}
