namespace NanoDet.Evaluators.Coco;

/// <summary>
/// Everything COCOeval needs, in double precision: classes (label k = k-th category in ascending id order),
/// images in ascending id order, their ground truth in file order and their detections in input order (the
/// order decides score ties, as in pycocotools).
/// </summary>
internal sealed class EvalDataset
{
    public EvalDataset(IReadOnlyList<string> classNames, IReadOnlyList<int> categoryIds, int[] imageIds,
        GroundTruthObject[][] groundTruth, DetectionObject[][] detections, IReadOnlyList<string>? notes = null)
    {
        if (classNames.Count != categoryIds.Count) throw new ArgumentException("one category id per class name");
        if (imageIds.Length != groundTruth.Length || imageIds.Length != detections.Length)
            throw new ArgumentException("one ground-truth list and one detection list per image");
        for (int i = 1; i < imageIds.Length; i++)
            if (imageIds[i] <= imageIds[i - 1]) throw new ArgumentException("image ids must be unique and ascending");
        ClassNames = classNames;
        CategoryIds = categoryIds;
        ImageIds = imageIds;
        GroundTruth = groundTruth;
        Detections = detections;
        Notes = notes ?? [];
    }

    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<int> CategoryIds { get; }
    public int ClassCount => ClassNames.Count;
    public int[] ImageIds { get; }
    public GroundTruthObject[][] GroundTruth { get; }
    public DetectionObject[][] Detections { get; }

    /// <summary>Remarks about the input for the report (e.g. detections of categories the ground truth lacks).</summary>
    public IReadOnlyList<string> Notes { get; }

    public int DetectionCount
    {
        get
        {
            int n = 0;
            foreach (var d in Detections) n += d.Length;
            return n;
        }
    }
}
