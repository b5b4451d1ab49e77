using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Datasets.Pipeline;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Inference.Preprocessing;

namespace NanoDet.Datasets.Tests;

/// <summary>Each factor of docs/reference.md#geometric-augmentation on hand-checked points, and the composition order.</summary>
public class ShapeTransformTests
{
    private static void Near(double x, double y, PointF2 p, double tol = 1e-4)
    {
        Assert.True(Math.Abs(p.X - x) < tol && Math.Abs(p.Y - y) < tol, $"expected ({x}, {y}), got ({p.X}, {p.Y})");
    }

    [Fact]
    public void Center_moves_the_image_centre_to_the_origin()
    {
        var c = ShapeTransform.Center(200, 100);
        Near(-100, -50, c.Apply(new(0, 0)));
        Near(100, 50, c.Apply(new(200, 100)));
    }

    [Fact]
    public void Perspective_divides_by_z()
    {
        // (100, 50): z = 0.001·100 + 1 = 1.1 → (100/1.1, 50/1.1)
        Near(90.909091, 45.454545, ShapeTransform.Perspective(0.001, 0).Apply(new(100, 50)));
        // P[2,1] acts on y: z = 0.002·50 + 1 = 1.1
        Near(90.909091, 45.454545, ShapeTransform.Perspective(0, 0.002).Apply(new(100, 50)));
    }

    [Fact]
    public void Scale_and_stretch()
    {
        Near(6, 8, ShapeTransform.Scale(2).Apply(new(3, 4)));
        Near(6, 2, ShapeTransform.Stretch(2, 0.5).Apply(new(3, 4)));
    }

    [Fact]
    public void Rotation_follows_opencv_getRotationMatrix2D()
    {
        // [[cos a, sin a], [−sin a, cos a]]: +90° sends (1, 0) to (0, −1), i.e. up on screen (counter-clockwise)
        Near(0, -1, ShapeTransform.Rotation(90).Apply(new(1, 0)));
        Near(0.866025, -0.5, ShapeTransform.Rotation(30).Apply(new(1, 0)));
        Near(1, 0, ShapeTransform.Rotation(90).Apply(new(0, 1)));
    }

    [Fact]
    public void Shear_x_and_y()
    {
        Near(3, 2, ShapeTransform.Shear(45, 0).Apply(new(1, 2)));   // x += tan45·y
        Near(1, 3, ShapeTransform.Shear(0, 45).Apply(new(1, 2)));   // y += tan45·x
    }

    [Fact]
    public void Flip_and_translate()
    {
        Near(-3, 4, ShapeTransform.Flip(true).Apply(new(3, 4)));
        Near(3, 4, ShapeTransform.Flip(false).Apply(new(3, 4)));
        // translate draws are fractions of the SOURCE size: (0.5·200, 0.25·100)
        Near(100, 25, ShapeTransform.Translate(0.5, 0.25, 200, 100).Apply(new(0, 0)));
    }

    [Fact]
    public void Resize_without_keep_ratio_stretches()
    {
        var m = InputTransform.Resize(200, 100, 100, 100, keepRatio: false);
        Near(100, 100, m.Apply(new(200, 100)));
        Near(50, 25, m.Apply(new(100, 25)));
        Assert.Equal((100, 100), InputTransform.OutputSize(200, 100, 100, 100, keepRatio: false, divisible: 0));
    }

    [Fact]
    public void Keep_ratio_shrinks_the_output_to_the_image_aspect()
    {
        // landscape 200x100 into 100x100: r = 100/200 → 100x50; portrait 100x200 → 50x100
        Assert.Equal((100, 50), InputTransform.OutputSize(200, 100, 100, 100, true, 0));
        Assert.Equal((50, 100), InputTransform.OutputSize(100, 200, 100, 100, true, 0));
        // int() truncation: 333x250 into 320x320 → r = 320/333 → 320 x int(240.24) = 240
        Assert.Equal((320, 240), InputTransform.OutputSize(333, 250, 320, 320, true, 0));
        // divisible rounds each side up
        Assert.Equal((128, 64), InputTransform.OutputSize(200, 100, 100, 100, true, 32));

        var m = InputTransform.Resize(200, 100, 100, 50, keepRatio: true);
        Near(0, 0, m.Apply(new(0, 0)));
        Near(100, 50, m.Apply(new(200, 100)));
        // with divisible the ratio is recomputed on the rounded size: r = 128/200 = 0.64, centred in 128x64
        var d = InputTransform.Resize(200, 100, 128, 64, keepRatio: true);
        Near(0, 0, d.Apply(new(0, 0)));
        Near(64, 32, d.Apply(new(100, 50)));
        Near(128, 64, d.Apply(new(200, 100)));
    }

    [Fact]
    public void Composition_is_Resize_T_F_Sh_R_Str_Scl_P_C_applied_right_to_left()
    {
        // src 100x100, out 100x100 (ResizeM = I), scale 2, rotation 90°, flip, translate centred.
        // (75, 50) -C-> (25, 0) -Scl-> (50, 0) -R90-> (0, −50) -F-> (0, −50) -T-> (50, 0)
        var d = ShapeDraw.Identity with { Scale = 2, RotationDeg = 90, Flip = true };
        var m = ShapeTransform.Compose(d, 100, 100, 100, 100, keepRatio: false);
        Near(50, 0, m.Apply(new(75, 50)));
        // Had F been applied before R (R·F), the point would land at (50, 100): the test tells the orders apart.
        var wrong = ShapeTransform.Translate(0.5, 0.5, 100, 100) * ShapeTransform.Rotation(90) * ShapeTransform.Flip(true)
                    * ShapeTransform.Scale(2) * ShapeTransform.Center(100, 100);
        Near(50, 100, wrong.Apply(new(75, 50)));

        // stretch before rotation: (60, 50) -C-> (10, 0) -Str(3, 1)-> (30, 0) -R90-> (0, −30) -T-> (50, 20)
        var s = ShapeDraw.Identity with { StretchX = 3, RotationDeg = 90 };
        Near(50, 20, ShapeTransform.Compose(s, 100, 100, 100, 100, false).Apply(new(60, 50)));

        // shear after rotation: (60, 50) -C-> (10, 0) -R90-> (0, −10) -Sh(x 45°)-> (−10, −10) -T-> (40, 40)
        var sh = ShapeDraw.Identity with { RotationDeg = 90, ShearXDeg = 45 };
        Near(40, 40, ShapeTransform.Compose(sh, 100, 100, 100, 100, false).Apply(new(60, 50)));

        // ResizeM last: the same draw into a 50x50 output halves everything
        Near(25, 0, ShapeTransform.Compose(d, 100, 100, 50, 50, false).Apply(new(75, 50)));
    }

    [Fact]
    public void Identity_draw_composes_to_the_plain_resize()
    {
        var m = ShapeTransform.Compose(ShapeDraw.Identity, 640, 480, 320, 320, keepRatio: false);
        var r = InputTransform.Resize(640, 480, 320, 320, keepRatio: false);
        var a = m.ToArray();
        var b = r.ToArray();
        for (int i = 0; i < 9; i++) Assert.Equal(b[i], a[i], 9);
    }

    [Fact]
    public void Draws_follow_the_reference_order_and_ranges()
    {
        var s = new PipelineSettings
        {
            Perspective = 0.001,
            Scale = [0.5, 1.5],
            Stretch = [[0.8, 1.2], [0.9, 1.1]],
            Rotation = 10,
            Shear = 5,
            Translate = 0.2,
            Flip = 0.5,
        };
        var rng = new Random(3);
        var d = ShapeDraw.Sample(s, rng);
        // the same stream, consumed in NanoDet's order (perspective x, y, scale, stretch w, h, rotation, shear x, y, flip, translate x, y)
        var r = new Random(3);
        double U(double a, double b) => a + (b - a) * r.NextDouble();
        Assert.Equal(U(-0.001, 0.001), d.PerspectiveX);
        Assert.Equal(U(-0.001, 0.001), d.PerspectiveY);
        Assert.Equal(U(0.5, 1.5), d.Scale);
        Assert.Equal(U(0.8, 1.2), d.StretchX);
        Assert.Equal(U(0.9, 1.1), d.StretchY);
        Assert.Equal(U(-10, 10), d.RotationDeg);
        Assert.Equal(U(-5, 5), d.ShearXDeg);
        Assert.Equal(U(-5, 5), d.ShearYDeg);
        Assert.Equal(r.NextDouble() < 0.5, d.Flip);
        Assert.Equal(U(0.3, 0.7), d.TranslateX);
        Assert.Equal(U(0.3, 0.7), d.TranslateY);
    }

    /// <summary>Random source returning a fixed stream from NextDouble (Python's random.random in the reference run).</summary>
    private sealed class FixedStream(double[] values) : Random
    {
        private int _next;

        public override double NextDouble() => values[_next++];
    }

    /// <summary>
    /// Golden values from NanoDet's own ShapeTransform (warp.py, see docs/data.md "Parity") with random.random fed the
    /// same 11 numbers: 200x150 source, output 160x128, every factor active, the flip drawn (0.2 &lt; 0.5).
    /// </summary>
    [Fact]
    public void Matches_the_reference_ShapeTransform_for_a_fixed_random_stream()
    {
        var settings = new PipelineSettings
        {
            Perspective = 0.0005,
            Scale = [0.6, 1.4],
            Stretch = [[0.8, 1.2], [0.8, 1.2]],
            Rotation = 15,
            Shear = 5,
            Translate = 0.2,
            Flip = 0.5,
        };
        var draw = ShapeDraw.Sample(settings, new FixedStream([0.13, 0.77, 0.42, 0.9, 0.05, 0.61, 0.33, 0.48, 0.2, 0.66, 0.71]));
        Assert.True(draw.Flip);
        var m = ShapeTransform.Compose(draw, 200, 150, 160, 128, keepRatio: false).ToArray();
        double[] reference =
        [
            -0.9020404710477637, 0.007212917850147358, 179.90307826601534,
            -0.08422098441644113, 0.673915808244059, 32.630412823339704,
            -0.00037, 0.00027000000000000006, 1.01675,
        ];
        for (int i = 0; i < 9; i++) Assert.Equal(reference[i], m[i], 12);
        var w = new WarpMatrix(m);
        Assert.Equal(new Box(72.55043f, 43.593624f, 159.29889f, 88.61647f), TargetWarper.WarpBox(new Box(20, 30, 120, 90), w, 160, 128));
        Assert.Equal(new Box(0.49602854f, 23.904755f, 46.339684f, 120.23277f), TargetWarper.WarpBox(new Box(150, 10, 199, 149), w, 160, 128));

        // keep_ratio with divisible 32: 200x150 into 160x160 → 160x128, M = [[0.8, 0, 0], [0, 0.8, 4], [0, 0, 1]]
        Assert.Equal((160, 128), InputTransform.OutputSize(200, 150, 160, 160, true, 32));
        Assert.Equal([0.8, 0, 0, 0, 0.8, 4, 0, 0, 1], InputTransform.Resize(200, 150, 160, 128, true).ToArray());
    }
}
