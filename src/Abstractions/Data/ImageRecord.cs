using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>One image of a dataset with its ground truth.</summary>
/// <param name="Id">Image id (COCO id; 1-based running number for XML/txt datasets, in sorted file order).</param>
/// <param name="FileName">File name relative to the dataset's image folder.</param>
/// <param name="Path">Absolute path of the image file.</param>
/// <param name="Width">Width in pixels (from the annotation when it states it, else from the image).</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Annotations">Objects in original-image pixels.</param>
public sealed record ImageRecord(int Id, string FileName, string Path, int Width, int Height, IReadOnlyList<Annotation> Annotations);
