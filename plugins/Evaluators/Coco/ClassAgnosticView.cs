namespace NanoDet.Evaluators.Coco;

/// <summary>
/// The evaluation input with every class pooled into one (<c>evaluator:class_agnostic</c>; pycocotools calls this
/// <c>useCats = 0</c>): a detection matches any ground-truth object by overlap alone. Used to measure a model on data
/// whose class scheme differs from its own, e.g. real frames of a plate type the model was not trained on, where
/// only "was the plate found, and where are its corners" can be asked.
/// </summary>
internal static class ClassAgnosticView
{
    /// <summary>The single class's name in reports.</summary>
    public const string ClassName = "any class";

    /// <summary>
    /// The same images, ground truth and detections (order kept, so score ties resolve as before) with every label
    /// set to 0 and one category (id 1).
    /// </summary>
    public static EvalDataset Of(EvalDataset data)
    {
        var gt = new GroundTruthObject[data.GroundTruth.Length][];
        var dt = new DetectionObject[data.Detections.Length][];
        for (int i = 0; i < gt.Length; i++)
        {
            gt[i] = Array.ConvertAll(data.GroundTruth[i], g => g with { Label = 0 });
            dt[i] = Array.ConvertAll(data.Detections[i], d => d with { Label = 0 });
        }
        var notes = data.Notes.Append($"class-agnostic: the {data.ClassCount} classes are pooled into one").ToArray();
        return new EvalDataset([ClassName], [1], data.ImageIds, gt, dt, notes);
    }
}
