using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// A loaded dataset: image records with ground truth in original-image pixels. Produced by a
/// <c>dataset</c> plugin (XMLDataset, CocoDataset, SyntheticArmor, ...). Loading never throws for a bad
/// sample: bad samples are skipped and listed in <see cref="Report"/>.
/// </summary>
public interface IDetectionDataset
{
    ClassTable Classes { get; }

    /// <summary>Usable images, sorted by id.</summary>
    IReadOnlyList<ImageRecord> Images { get; }

    DatasetReport Report { get; }

    /// <summary>Reads an image as BGR 8-bit, 3 channels. Throws <see cref="InputDataException"/> naming the file when unreadable.</summary>
    Mat ReadImage(ImageRecord record);
}
