namespace NanoDet.Datasets.Common;

/// <summary>Checks every reader applies to one object (see <see cref="ObjectValidator"/>).</summary>
/// <param name="Clip">Box clipping rule.</param>
/// <param name="RequirePoints">Objects need four corners (four-point training); false allows box-only objects.</param>
/// <param name="PointsBoxTolerance">
/// A corner may lie outside its written box by at most this fraction of the box's longer side (+1 px); negative
/// disables the check. Catches corners from another object or image scale.
/// </param>
/// <param name="BorderMargin">
/// Corners may lie outside the image by up to this fraction of its width (x) or height (y): plates cut by the frame
/// edge are labelled with their true, outside corners. Beyond it the object is skipped; negative disables the check.
/// </param>
public sealed record ObjectRules(BoxClipMode Clip = BoxClipMode.Image, bool RequirePoints = true, double PointsBoxTolerance = 0.25,
    double BorderMargin = ObjectRules.DefaultBorderMargin)
{
    /// <summary>The default border margin: 10 % of the image size, generous for real labels of cut plates (a few %).</summary>
    public const double DefaultBorderMargin = 0.1;
}
