using NanoDet.Datasets.Common;

namespace NanoDet.Datasets.Coco;

/// <summary>
/// Options of <c>CocoDataset</c>: <c>img_path</c> (images), <c>ann_path</c> (the JSON file). Without
/// <c>class_names</c> the class table is the file's categories sorted by id (NanoDet's rule); with it, labels follow
/// <c>class_names</c> and categories are matched by name.
/// </summary>
public sealed class CocoDatasetOptions : DatasetOptions
{
}
