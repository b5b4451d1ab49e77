using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Geometry;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Loading;
using NanoDet.Datasets.Pipeline;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>Mosaic and mixup: corners stay on their plates in rendered frames, flips relabel, cut plates follow the rule, draws are deterministic.</summary>
public class MosaicTests
{
    private const int Plates = 2;

    /// <summary>Plate colour of a label: well apart from each other and from the grey background.</summary>
    private static Scalar Colour(int label) => new(40 + 27 * label, 230 - 25 * label, label % 2 == 0 ? 60 : 220);

    /// <summary>Images 160×120 (every third 200×100) with two filled, slightly skewed plates; label = image·2 + plate.</summary>
    private static LoadedDataset Dataset(int count)
    {
        var dir = TestFiles.NewTempDir("mosaic");
        var records = new List<ImageRecord>();
        for (int i = 0; i < count; i++)
        {
            var (w, h) = i % 3 == 2 ? (200, 100) : (160, 120);
            var path = Path.Combine(dir, $"{i:D3}.png");
            var anns = new List<Annotation>();
            using (var m = new Mat(h, w, MatType.CV_8UC3, Scalar.All(90)))
            {
                for (int p = 0; p < Plates; p++)
                {
                    float x = 12 + p * (w / 2f), y = 14 + p * (h - 72);
                    var q = TestFiles.Quad(x, y, x + 3, y + 44, x + 54, y + 42, x + 50, y + 2);
                    int label = (i * Plates + p) % 8;
                    Cv2.FillConvexPoly(m, Enumerable.Range(0, 4).Select(k => new Point(q[k].X, q[k].Y)).ToArray(), Colour(label));
                    anns.Add(new Annotation(label, q.Bounds(), q));
                }
                Cv2.ImWrite(path, m);
            }
            records.Add(new ImageRecord(i + 1, Path.GetFileName(path), path, w, h, anns));
        }
        return new LoadedDataset(ClassTable.FromNames(Enumerable.Range(0, 8).Select(c => $"c{c}").ToArray()), records, new DatasetReport("t", count, count * Plates, []));
    }

    /// <summary>BGR of output pixel (x, y) of a prepared sample, back on the 0..255 scale.</summary>
    private static double[] Pixel(PreparedSample s, int x, int y)
    {
        var mean = PipelineSettings.DefaultMean;
        var std = PipelineSettings.DefaultStd;
        int plane = s.Width * s.Height;
        return [.. Enumerable.Range(0, 3).Select(c => s.Image[c * plane + y * s.Width + x] * std[c] + mean[c])];
    }

    private static int NearestLabel(double[] bgr)
    {
        double Dist(Scalar c) => Math.Abs(bgr[0] - c.Val0) + Math.Abs(bgr[1] - c.Val1) + Math.Abs(bgr[2] - c.Val2);
        int best = -1; // -1: the grey background or the black border is nearer than any plate colour
        double bestD = Math.Min(Dist(Scalar.All(90)), Dist(Scalar.All(0)));
        for (int l = 0; l < 8; l++)
            if (Dist(Colour(l)) < bestD) (best, bestD) = (l, Dist(Colour(l)));
        return best;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Mosaic_keeps_every_corner_on_its_plate_and_flips_relabel(double flip)
    {
        var ds = Dataset(6);
        // only whole plates kept, so every corner is a real plate corner; scale and rotation warp the canvas further
        var settings = new PipelineSettings { MosaicProb = 1, MosaicMinVisible = 0.999, Scale = [0.9, 1.1], Rotation = 8, Flip = flip };
        var pipeline = new NanoDetSamplePipeline(new InputSpec(128, 96, false), settings);
        int checkedCorners = 0, plates = 0;
        for (int seed = 0; seed < 24; seed++)
        {
            int i = seed % ds.Images.Count;
            using var img = ds.ReadImage(ds.Images[i]);
            var s = pipeline.Prepare(img, ds.Images[i], new Random(seed), new MixSource(ds, 0, 0));
            Assert.EndsWith("+3 mosaic", s.Source.FileName);
            foreach (var t in s.Targets)
            {
                var q = t.Points!.Value;
                plates++;
                // plates are drawn upright: after any flip the labels still name TL, BL, BR, TR on screen
                Assert.True(q.Tl.X < q.Tr.X && q.Bl.X < q.Br.X && q.Tl.Y < q.Bl.Y && q.Tr.Y < q.Br.Y, $"seed {seed}: corners out of order {q}");
                float mx = (q.Tl.X + q.Bl.X + q.Br.X + q.Tr.X) / 4, my = (q.Tl.Y + q.Bl.Y + q.Br.Y + q.Tr.Y) / 4;
                for (int k = 0; k < 4; k++)
                {
                    var c = q[k];
                    if (c.X <= 0.5 || c.Y <= 0.5 || c.X >= s.Width - 0.5 || c.Y >= s.Height - 0.5) continue; // cut by the output border
                    // a quarter of the way from the corner to the plate centre is inside this plate and no other
                    int x = (int)Math.Round(c.X + 0.25 * (mx - c.X)), y = (int)Math.Round(c.Y + 0.25 * (my - c.Y));
                    Assert.Equal(t.Label, NearestLabel(Pixel(s, x, y)));
                    checkedCorners++;
                }
            }
        }
        Assert.True(plates >= 20 && checkedCorners >= 70, $"only {plates} plates and {checkedCorners} corners checked");
    }

    [Fact]
    public void Cut_plates_are_kept_while_the_visible_fraction_reaches_the_setting()
    {
        var quadrant = new Rect(0, 0, 50, 50);
        var q = TestFiles.Quad(40, 10, 40, 30, 60, 30, 60, 10); // half of its box is right of x = 50
        var plate = new Annotation(1, q.Bounds(), q);
        var crowd = new Annotation(2, new Box(49, 0, 99, 50), null, IsCrowd: true);
        var kept = MosaicComposer.TileTargets([plate, crowd], WarpMatrix.Identity, quadrant, 0.5);
        Assert.Equal(2, kept.Count);
        Assert.Equal(new Box(40, 10, 50, 30), kept[0].Box);
        Assert.Equal(q, kept[0].Points); // the corners stay where the plate's are, as for plates cut by the frame edge
        Assert.Single(MosaicComposer.TileTargets([plate, crowd], WarpMatrix.Identity, quadrant, 0.51)); // only the crowd region stays
        // the same rule in a tile's coordinates: the bottom-right tile of a 100×100 canvas meeting at (50, 50)
        var m = MosaicComposer.TileMatrix(3, 100, 100, 1.0, 50, 50, 100, 100);
        var inTile = MosaicComposer.TileTargets([plate], m, MosaicComposer.Quadrant(3, 50, 50, 100, 100), 0.3);
        Assert.Equal(new Box(90, 60, 100, 80), Assert.Single(inTile).Box);
    }

    [Fact]
    public void Mosaic_and_mixup_are_deterministic_per_sample_and_close_for_the_last_epochs()
    {
        var ds = Dataset(8);
        static PipelineSettings Settings(double mosaic, double mixup) =>
            new() { MosaicProb = mosaic, MixupProb = mixup, Scale = [0.8, 1.2], Flip = 0.5, CloseMosaic = 1 };
        var pipeline = new NanoDetSamplePipeline(new InputSpec(96, 64, false), Settings(0.7, 0.5));
        List<(float[] Pixels, string Targets)> Run(int workers, int epoch, ISamplePipeline p)
        {
            var result = new List<(float[], string)>();
            var loader = new ThreadedBatchLoader().Create(ds, p, new BatchLoaderSettings(4, workers, true, true, true, 7, TotalEpochs: 3));
            foreach (var b in loader.Batches(epoch))
                using (b)
                    result.Add((b.Images.data<float>().ToArray(), string.Join(";", b.Samples.SelectMany(x => x.Targets))));
            return result;
        }
        var inline = Run(0, 1, pipeline);
        var threaded = Run(2, 1, pipeline);
        Assert.Equal(inline.Select(r => r.Targets), threaded.Select(r => r.Targets));
        Assert.True(inline.Zip(threaded).All(p => p.First.Pixels.AsSpan().SequenceEqual(p.Second.Pixels)));
        Assert.Contains(inline, r => r.Targets.Split(';').Length > 4 * Plates); // some sample mixed more than its own plates in

        // the last epoch (close_mosaic = 1) is exactly the single-image pipeline
        var plain = new NanoDetSamplePipeline(new InputSpec(96, 64, false), Settings(0, 0));
        var last = Run(0, 2, pipeline);
        var reference = Run(0, 2, plain);
        Assert.Equal(reference.Select(r => r.Targets), last.Select(r => r.Targets));
        Assert.True(reference.Zip(last).All(p => p.First.Pixels.AsSpan().SequenceEqual(p.Second.Pixels)));
    }
}
