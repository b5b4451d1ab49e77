using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Abstractions.Data;

/// <summary>
/// The folder a generating dataset plugin writes under <see cref="DatasetKeys.OutputDir"/>: the images in
/// <see cref="ImagesFolder"/> and their labels as COCO JSON in <see cref="AnnotationsFile"/>, which it reads back.
/// </summary>
public static class GeneratedDatasetLayout
{
    public const string ImagesFolder = "images";
    public const string AnnotationsFile = "annotations.json";
}
