using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Pipeline;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>The whole sample pipeline: image and targets warped alike, keep_ratio sizes, colour and normalisation.</summary>
public class PipelineTests
{
    private static ImageRecord Record(int w, int h, params Annotation[] anns) => new(1, "x.png", "/nowhere/x.png", w, h, anns);

    private static NanoDetSamplePipeline Pipeline(int w, int h, bool keep, PipelineSettings? s = null) =>
        new(new InputSpec(w, h, keep), s ?? new PipelineSettings());

    [Fact]
    public void Validation_path_is_the_plain_resize()
    {
        using var img = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(128));
        var rec = Record(200, 100, new Annotation(3, new Box(20, 10, 60, 50), TestFiles.Quad(20, 10, 20, 50, 60, 50, 60, 10)));
        var s = Pipeline(100, 100, keep: false).Prepare(img, rec, null);
        Assert.Equal((100, 100), (s.Width, s.Height));
        Assert.Equal(3 * 100 * 100, s.Image.Length);
        Assert.Equal(new Box(10, 10, 30, 50), s.Targets[0].Box);
        Assert.Equal(TestFiles.Quad(10, 10, 10, 50, 30, 50, 30, 10), s.Targets[0].Points);
        Assert.Equal([0.5, 0, 0, 0, 1, 0, 0, 0, 1], s.Warp.ToArray());
        Assert.Same(rec, s.Source);
    }

    [Fact]
    public void Keep_ratio_gives_the_shrunk_size_and_centred_content()
    {
        using var img = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(200));
        var s = Pipeline(100, 100, keep: true).Prepare(img, Record(200, 100), null);
        Assert.Equal((100, 50), (s.Width, s.Height));
        using var portrait = new Mat(200, 100, MatType.CV_8UC3, Scalar.All(200));
        var p = Pipeline(100, 100, keep: true).Prepare(portrait, Record(100, 200), null);
        Assert.Equal((50, 100), (p.Width, p.Height));
    }

    [Fact]
    public void Normalisation_is_per_BGR_channel_on_the_0_255_scale_and_CHW()
    {
        using var img = new Mat(4, 4, MatType.CV_8UC3, new Scalar(10, 128, 250));
        var s = Pipeline(4, 4, false).Prepare(img, Record(4, 4), null);
        // (v/255 − mean/255) / (std/255) = (v − mean)/std, NanoDet's BGR statistics
        Assert.Equal((10 - 103.53) / 57.375, s.Image[0], 4);
        Assert.Equal((128 - 116.28) / 57.12, s.Image[16], 4);
        Assert.Equal((250 - 123.675) / 58.395, s.Image[32], 4);
    }

    [Fact]
    public void Brightness_then_contrast_are_an_offset_and_a_gain_without_clipping()
    {
        using var f = new Mat(2, 2, MatType.CV_32FC3, Scalar.All(0.9));
        ColorAugmentation.Apply(f, new ColorDraw(0.2, 1.2, null));
        // (0.9 + 0.2)·1.2 = 1.32: above 1 and kept
        Assert.Equal(1.32, f.Get<Vec3f>(0, 0).Item0, 5);
    }

    [Fact]
    public void Saturation_scales_S_in_opencv_float_hsv()
    {
        // BGR (200, 100, 50)/255: V = 200, S = 150/200 = 0.75 → 0.375 keeps V and hue:
        // min = V·(1 − S) = 125, the middle channel keeps its relative place 1/3 → G = 125 + 75/3 = 150
        using var f = new Mat(1, 1, MatType.CV_32FC3, new Scalar(200 / 255.0, 100 / 255.0, 50 / 255.0));
        ColorAugmentation.Apply(f, new ColorDraw(null, null, 0.5));
        var v = f.Get<Vec3f>(0, 0);
        Assert.Equal(200 / 255.0, v.Item0, 4);
        Assert.Equal(150 / 255.0, v.Item1, 4);
        Assert.Equal(125 / 255.0, v.Item2, 4);
    }

    [Fact]
    public void Colour_draws_use_one_coin_per_configured_step_in_order()
    {
        var s = new PipelineSettings { Brightness = 0.2, Contrast = [0.8, 1.2], Saturation = [0.5, 1.5] };
        var d = ColorAugmentation.Sample(s, new Random(11));
        var r = new Random(11);
        double? b = r.Next(2) == 1 ? -0.2 + 0.4 * r.NextDouble() : null;
        double? c = r.Next(2) == 1 ? 0.8 + 0.4 * r.NextDouble() : null;
        double? sat = r.Next(2) == 1 ? 0.5 + 1.0 * r.NextDouble() : null;
        Assert.Equal(new ColorDraw(b, c, sat), d);
        // unconfigured steps draw nothing
        Assert.Equal(new ColorDraw(null, null, null), ColorAugmentation.Sample(new PipelineSettings(), new Random(1)));
    }

    /// <summary>
    /// A bright dot at each source corner must land where the warped corner says, for random warps with perspective,
    /// rotation, shear and flips; and the warped box must contain the warped corners.
    /// </summary>
    [Fact]
    public void Image_boxes_and_corners_move_together()
    {
        var settings = new PipelineSettings
        {
            Perspective = 0.0004,
            Scale = [0.7, 1.3],
            Stretch = [[0.8, 1.2], [0.8, 1.2]],
            Rotation = 20,
            Shear = 5,
            Translate = 0.1,
            Flip = 0.5,
        };
        var pipeline = Pipeline(320, 256, false, settings);
        var q = TestFiles.Quad(150, 110, 146, 170, 250, 178, 256, 116);
        var rec = Record(400, 300, new Annotation(0, q.Bounds(), q));
        int flips = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            var draw = ShapeDraw.Sample(settings, new Random(seed));
            flips += draw.Flip ? 1 : 0;
            var target = pipeline.Prepare(Blank(400, 300), rec, draw, null).Targets.Single();
            var box = target.Box;
            var warped = target.Points!.Value;
            for (int k = 0; k < 4; k++)
            {
                Assert.InRange(warped[k].X, box.X1 - 1e-3f, box.X2 + 1e-3f);
                Assert.InRange(warped[k].Y, box.Y1 - 1e-3f, box.Y2 + 1e-3f);
                // one dot per corner, found where the label says
                using var img = Blank(400, 300);
                var src = q[k];
                Cv2.Circle(img, new Point((int)Math.Round(src.X), (int)Math.Round(src.Y)), 2, Scalar.All(255), -1);
                var s = pipeline.Prepare(img, rec, draw, null);
                var (x, y) = Brightest(s);
                var expect = target.Points!.Value;
                // after a flip the label of this physical corner moved (TL ↔ TR, BL ↔ BR)
                var p = expect[draw.Flip ? 3 - k : k];
                Assert.True(Math.Abs(x - p.X) <= 2.5 && Math.Abs(y - p.Y) <= 2.5, $"seed {seed} corner {k}: dot at ({x}, {y}), label at ({p.X}, {p.Y})");
            }
            // the canonical order still holds geometrically: left corners left of right ones, tops above bottoms
            Assert.True(warped.Tl.X < warped.Tr.X && warped.Bl.X < warped.Br.X, $"seed {seed}: {warped}");
            Assert.True(warped.Tl.Y < warped.Bl.Y && warped.Tr.Y < warped.Br.Y, $"seed {seed}: {warped}");
        }
        Assert.InRange(flips, 1, 11);
    }

    [Fact]
    public void Prepare_is_thread_safe_and_deterministic()
    {
        var settings = new PipelineSettings { Scale = [0.6, 1.4], Translate = 0.2, Flip = 0.5, Brightness = 0.2, Contrast = [0.8, 1.2], Saturation = [0.8, 1.2] };
        var pipeline = Pipeline(96, 96, false, settings);
        using var img = new Mat(120, 160, MatType.CV_8UC3);
        Cv2.Randu(img, Scalar.All(0), Scalar.All(255));
        var rec = Record(160, 120, new Annotation(0, new Box(40, 30, 120, 90), TestFiles.Quad(40, 30, 40, 90, 120, 90, 120, 30)));
        var sequential = Enumerable.Range(0, 16).Select(i => pipeline.Prepare(img, rec, new Random(i))).ToArray();
        var parallel = new PreparedSample[16];
        Parallel.For(0, 16, i => parallel[i] = pipeline.Prepare(img, rec, new Random(i)));
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(sequential[i].Image, parallel[i].Image);
            Assert.Equal(sequential[i].Targets, parallel[i].Targets);
        }
    }

    private static Mat Blank(int w, int h) => new(h, w, MatType.CV_8UC3, Scalar.All(0));

    /// <summary>Position of the brightest pixel of the blue plane of a normalised CHW sample.</summary>
    private static (int X, int Y) Brightest(PreparedSample s)
    {
        int best = 0;
        for (int i = 1; i < s.Width * s.Height; i++) if (s.Image[i] > s.Image[best]) best = i;
        return (best % s.Width, best / s.Width);
    }
}
