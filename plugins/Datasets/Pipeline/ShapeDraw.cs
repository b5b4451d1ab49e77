namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// The random values of one geometric augmentation (docs/reference.md#geometric-augmentation), drawn in NanoDet's order: perspective x, y;
/// scale; stretch w, h; rotation; shear x, y; flip; translate x, y.
/// </summary>
/// <param name="PerspectiveX">P[2,0].</param>
/// <param name="PerspectiveY">P[2,1].</param>
/// <param name="Scale">Uniform scale s.</param>
/// <param name="StretchX">Width stretch.</param>
/// <param name="StretchY">Height stretch.</param>
/// <param name="RotationDeg">Rotation angle in degrees (OpenCV sign: positive = counter-clockwise on screen).</param>
/// <param name="ShearXDeg">Shear angle giving Sh[0,1] = tan(angle).</param>
/// <param name="ShearYDeg">Shear angle giving Sh[1,0] = tan(angle).</param>
/// <param name="Flip">Horizontal flip drawn.</param>
/// <param name="TranslateX">Output centre x as a fraction of the source width (0.5 = centred).</param>
/// <param name="TranslateY">Output centre y as a fraction of the source height.</param>
public sealed record ShapeDraw(
    double PerspectiveX, double PerspectiveY, double Scale, double StretchX, double StretchY, double RotationDeg,
    double ShearXDeg, double ShearYDeg, bool Flip, double TranslateX, double TranslateY)
{
    /// <summary>No augmentation: the validation path.</summary>
    public static ShapeDraw Identity { get; } = new(0, 0, 1, 1, 1, 0, 0, 0, false, 0.5, 0.5);

    /// <summary>Draws every factor (a degenerate range still consumes its draw, as in NanoDet).</summary>
    public static ShapeDraw Sample(PipelineSettings s, Random rng)
    {
        double px = Uniform(rng, -s.Perspective, s.Perspective);
        double py = Uniform(rng, -s.Perspective, s.Perspective);
        var (slo, shi) = s.ScaleRange;
        double scale = Uniform(rng, slo, shi);
        var (wlo, whi) = s.StretchW;
        double sx = Uniform(rng, wlo, whi);
        var (hlo, hhi) = s.StretchH;
        double sy = Uniform(rng, hlo, hhi);
        double rot = Uniform(rng, -s.Rotation, s.Rotation);
        double shx = Uniform(rng, -s.Shear, s.Shear);
        double shy = Uniform(rng, -s.Shear, s.Shear);
        bool flip = rng.NextDouble() < s.Flip;
        double tx = Uniform(rng, 0.5 - s.Translate, 0.5 + s.Translate);
        double ty = Uniform(rng, 0.5 - s.Translate, 0.5 + s.Translate);
        return new ShapeDraw(px, py, scale, sx, sy, rot, shx, shy, flip, tx, ty);
    }

    /// <summary>Python's <c>random.uniform(a, b)</c>: a + (b − a)·U[0, 1).</summary>
    public static double Uniform(Random rng, double a, double b) => a + (b - a) * rng.NextDouble();
}
