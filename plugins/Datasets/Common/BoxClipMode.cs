namespace NanoDet.Datasets.Common;

/// <summary>How a reader clips a ground-truth box to its image (option <c>bbox_clip</c>).</summary>
public enum BoxClipMode
{
    /// <summary>Clip x1, y1, x2, y2 to [0, W] × [0, H] and recompute w, h (the correction of docs/reference.md#box-clipping; default).</summary>
    Image,

    /// <summary>
    /// NanoDet's XMLDataset rule, kept for parity: x = max(x1, 0), y = max(y1, 0), w = min(w, W), h = min(h, H),
    /// which shifts a box that starts left of/above the image instead of shrinking it (docs/reference.md#box-clipping).
    /// </summary>
    Reference,

    /// <summary>Keep boxes as written (NanoDet's COCO reader).</summary>
    None,
}
