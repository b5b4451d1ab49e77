using Microsoft.Extensions.Logging.Abstractions;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Loading;
using NanoDet.Datasets.Pipeline;
using NanoDet.Datasets.Xml;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests.BadInput;

/// <summary>
/// Issue 17: an image that loads (its header is fine) but cannot be decoded when its batch is built is left out
/// of that batch and reported; the epoch's plan, the other samples and a resume are unaffected.
/// </summary>
public class BatchSkipTests
{
    private static byte[] Jpeg(int seed)
    {
        using var m = new Mat(90, 120, MatType.CV_8UC3);
        Cv2.SetTheRNG((ulong)seed);
        Cv2.Randu(m, Scalar.All(0), Scalar.All(255));
        return m.ImEncode(".jpg");
    }

    private static string Xml(string file) =>
        $"<annotation><filename>{file}</filename><size><width>120</width><height>90</height></size>" +
        "<object><name>B_1</name><points><x1>10</x1><y1>10</y1><x2>10</x2><y2>40</y2><x3>60</x3><y3>40</y3><x4>60</x4><y4>10</y4></points></object></annotation>";

    /// <summary>
    /// 12 images, two of them JPEGs whose header is intact but whose data is cut after 700 bytes (the header reader
    /// accepts them at load time, so the failure comes when a batch decodes them).
    /// </summary>
    private static (LoadedDataset Dataset, string[] Broken) WithCutImages()
    {
        var root = TestFiles.NewTempDir("cut-jpeg");
        var broken = new List<string>();
        for (int i = 0; i < 12; i++)
        {
            var name = $"{i:D2}.jpg";
            var bytes = Jpeg(i + 1);
            if (i is 3 or 8)
            {
                bytes = bytes[..700];
                broken.Add(Path.Combine(root, "images", name));
            }
            File.WriteAllBytes(TestFiles.Text(Path.Combine(root, "images", name), ""), bytes);
            TestFiles.Text(Path.Combine(root, "xml", $"{i:D2}.xml"), Xml(name));
        }
        var ds = XmlDataset.Load("t", Path.Combine(root, "images"), Path.Combine(root, "xml"), ClassTable.FromNames(["B_1"]), PointOrder.Canonical,
            new ObjectRules(), false, false, NullLogger.Instance);
        Assert.True(ds.Images.Count == 12, TestFiles.Describe(ds.Report)); // the header is intact: loading accepts them
        return (ds, broken.ToArray());
    }

    private static List<(int[] Ids, string[] Skipped, long[] Shape, float[] Pixels)> Run(IDetectionDataset ds, int workers, int epoch, int startBatch = 0)
    {
        var p = new NanoDetSamplePipeline(new InputSpec(64, 64, false), new PipelineSettings { Flip = 0.5, Translate = 0.1 });
        var settings = new BatchLoaderSettings(3, workers, true, false, true, 11, Prefetch: 1);
        var result = new List<(int[], string[], long[], float[])>();
        foreach (var b in new ThreadedBatchLoader().Create(ds, p, settings).Batches(epoch, startBatch))
            using (b)
                result.Add((b.Samples.Select(s => s.Source.Id).ToArray(), b.Skipped.Select(s => s.Location).ToArray(), b.Images.shape,
                    b.Images.data<float>().ToArray()));
        return result;
    }

    [Fact]
    public void A_cut_image_is_left_out_of_its_batch_and_reported_with_the_file()
    {
        var (ds, broken) = WithCutImages();
        var batches = Run(ds, workers: 0, epoch: 0);

        Assert.Equal(4, batches.Count); // the plan is unchanged: 12 images in batches of 3
        Assert.Equal(10, batches.Sum(b => b.Ids.Length));
        Assert.Equal(broken.Order(), batches.SelectMany(b => b.Skipped).Order());
        var withSkip = batches.First(b => b.Skipped.Length > 0);
        Assert.DoesNotContain(withSkip.Ids, id => broken.Contains(ds.Images[id - 1].Path));
        Assert.Equal(withSkip.Ids.Length, withSkip.Shape[0]);
    }

    [Fact]
    public void Skips_are_the_same_for_any_worker_count_and_after_a_mid_epoch_resume()
    {
        var (ds, _) = WithCutImages();
        var baseline = Run(ds, workers: 0, epoch: 1);
        var threaded = Run(ds, workers: 2, epoch: 1);
        var tail = Run(ds, workers: 2, epoch: 1, startBatch: 2);
        Assert.Equal(baseline.Count, threaded.Count);
        Assert.Equal(baseline.Count - 2, tail.Count);
        for (int b = 0; b < baseline.Count; b++)
        {
            Assert.Equal(baseline[b].Ids, threaded[b].Ids);
            Assert.Equal(baseline[b].Skipped, threaded[b].Skipped);
            Assert.True(baseline[b].Pixels.AsSpan().SequenceEqual(threaded[b].Pixels), $"batch {b} differs with 2 workers");
            if (b < 2) continue;
            Assert.Equal(baseline[b].Ids, tail[b - 2].Ids);
            Assert.Equal(baseline[b].Skipped, tail[b - 2].Skipped);
            Assert.True(baseline[b].Pixels.AsSpan().SequenceEqual(tail[b - 2].Pixels), $"batch {b} differs after resuming at batch 2");
        }
    }

    [Fact]
    public void A_batch_whose_images_all_fail_is_empty_but_keeps_its_place_in_the_plan()
    {
        var (ds, broken) = WithCutImages();
        var p = new NanoDetSamplePipeline(new InputSpec(64, 64, false), new PipelineSettings());
        // batch size 1, no shuffle: batch i is image i; images 3 and 8 are cut
        var loader = new ThreadedBatchLoader().Create(ds, p, new BatchLoaderSettings(1, 0, false, false, false, 0));
        var counts = new List<int>();
        foreach (var b in loader.Batches(0))
            using (b)
            {
                counts.Add(b.Count);
                Assert.Equal(b.Count, (int)b.Images.shape[0]);
            }
        Assert.Equal(12, counts.Count);
        Assert.Equal([3, 8], counts.Select((c, i) => (c, i)).Where(t => t.c == 0).Select(t => t.i));
        Assert.Equal(2, broken.Length);
    }
}
