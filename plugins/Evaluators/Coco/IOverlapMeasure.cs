namespace NanoDet.Evaluators.Coco;

/// <summary>The overlap COCOeval matches with: box IoU (pycocotools' bbox) or quadrilateral IoU (corners).</summary>
internal interface IOverlapMeasure
{
    /// <summary>
    /// Fills <paramref name="iou"/>[d · G + g] for every detection d (score order) and ground truth g (file
    /// order). For a crowd ground truth the denominator is the detection's area, not the union.
    /// </summary>
    void Compute(ReadOnlySpan<DetectionObject> detections, ReadOnlySpan<GroundTruthObject> groundTruth, Span<double> iou);

    /// <summary>The detection area tested against area ranges.</summary>
    double DetectionArea(in DetectionObject detection);
}
