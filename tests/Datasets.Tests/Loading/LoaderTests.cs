using System.Runtime.InteropServices;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Datasets.Loading;
using NanoDet.Datasets.Pipeline;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using OpenCvSharp;

namespace NanoDet.Datasets.Tests;

/// <summary>Batching: determinism for any worker count, epochs, drop_last, padding, cancellation.</summary>
public class LoaderTests
{
    private static LoadedDataset Dataset(int count, Func<int, (int W, int H)>? size = null)
    {
        var dir = TestFiles.NewTempDir("loader");
        var records = new List<ImageRecord>();
        for (int i = 0; i < count; i++)
        {
            var (w, h) = size?.Invoke(i) ?? (120, 90);
            var path = Path.Combine(dir, $"{i:D3}.png");
            using (var m = new Mat(h, w, MatType.CV_8UC3))
            {
                Cv2.Randu(m, Scalar.All(0), Scalar.All(255));
                Cv2.ImWrite(path, m);
            }
            var q = TestFiles.Quad(10, 10, 10, 40, 60, 40, 60, 10);
            records.Add(new ImageRecord(i + 1, Path.GetFileName(path), path, w, h, [new Annotation(i % 3, q.Bounds(), q)]));
        }
        var report = new DatasetReport("t", count, count, []);
        return new LoadedDataset(ClassTable.FromNames(["a", "b", "c"]), records, report);
    }

    private static readonly PipelineSettings Augmenting = new()
    {
        Scale = [0.6, 1.4],
        Stretch = [[0.9, 1.1], [0.9, 1.1]],
        Rotation = 10,
        Translate = 0.2,
        Flip = 0.5,
        Brightness = 0.2,
        Contrast = [0.8, 1.2],
        Saturation = [0.8, 1.2],
    };

    private static List<(float[] Pixels, long[] Shape, List<IReadOnlyList<Annotation>> Targets, int[] Ids)> Run(
        IDetectionDataset ds, ISamplePipeline p, BatchLoaderSettings s, int epoch, int startBatch = 0)
    {
        var result = new List<(float[], long[], List<IReadOnlyList<Annotation>>, int[])>();
        foreach (var b in new ThreadedBatchLoader().Create(ds, p, s).Batches(epoch, startBatch))
            using (b)
                result.Add((b.Images.data<float>().ToArray(), b.Images.shape, b.Samples.Select(x => x.Targets).ToList(), b.Samples.Select(x => x.Source.Id).ToArray()));
        return result;
    }

    [Fact]
    public void Batches_are_identical_for_any_worker_count()
    {
        var ds = Dataset(10);
        var p = new NanoDetSamplePipeline(new InputSpec(64, 64, false), Augmenting);
        var baseline = Run(ds, p, new BatchLoaderSettings(4, 0, true, false, true, 42), epoch: 3);
        foreach (var workers in new[] { 1, 2, 3 })
        {
            var other = Run(ds, p, new BatchLoaderSettings(4, workers, true, false, true, 42, Prefetch: 1), epoch: 3);
            Assert.Equal(baseline.Count, other.Count);
            for (int b = 0; b < baseline.Count; b++)
            {
                Assert.Equal(baseline[b].Ids, other[b].Ids);
                Assert.Equal(baseline[b].Shape, other[b].Shape);
                Assert.True(baseline[b].Pixels.AsSpan().SequenceEqual(other[b].Pixels), $"batch {b} pixels differ with {workers} workers");
                Assert.Equal(baseline[b].Targets.SelectMany(t => t), other[b].Targets.SelectMany(t => t));
            }
        }
    }

    [Fact]
    public void Epochs_reshuffle_reproducibly_and_drop_last_drops()
    {
        var ds = Dataset(10);
        var p = new NanoDetSamplePipeline(new InputSpec(32, 32, false), new PipelineSettings());
        var e0 = Run(ds, p, new BatchLoaderSettings(4, 2, true, true, false, 1), 0);
        var e0Again = Run(ds, p, new BatchLoaderSettings(4, 2, true, true, false, 1), 0);
        var e1 = Run(ds, p, new BatchLoaderSettings(4, 2, true, true, false, 1), 1);
        Assert.Equal(2, e0.Count); // 10 / 4 with drop_last
        Assert.Equal(e0.SelectMany(b => b.Ids), e0Again.SelectMany(b => b.Ids));
        Assert.NotEqual(e0.SelectMany(b => b.Ids), e1.SelectMany(b => b.Ids));

        var all = Run(ds, p, new BatchLoaderSettings(4, 2, false, false, false, 1), 0);
        Assert.Equal([4, 4, 2], all.Select(b => b.Ids.Length));
        Assert.Equal(Enumerable.Range(1, 10), all.SelectMany(b => b.Ids));
        Assert.Equal(3, new ThreadedBatchLoader().Create(ds, p, new BatchLoaderSettings(4, 2, false, false, false, 1)).BatchesPerEpoch);
        Assert.Equal(2, new ThreadedBatchLoader().Create(ds, p, new BatchLoaderSettings(4, 2, false, true, false, 1)).BatchesPerEpoch);
    }

    [Fact]
    public void Keep_ratio_batches_are_zero_padded_bottom_right_to_multiples_of_32()
    {
        // 200x100 → 100x50 and 100x200 → 50x100 at input 100x100: batch max 100x100 → padded to 128x128
        var ds = Dataset(2, i => i == 0 ? (200, 100) : (100, 200));
        var p = new NanoDetSamplePipeline(new InputSpec(100, 100, true), new PipelineSettings());
        var batch = Run(ds, p, new BatchLoaderSettings(2, 0, false, false, false, 0), 0).Single();
        Assert.Equal([2L, 3, 128, 128], batch.Shape);
        var px = batch.Pixels;
        float At(int b, int c, int y, int x) => px[((b * 3 + c) * 128 + y) * 128 + x];
        Assert.Equal(0f, At(0, 0, 60, 10));   // below the 100x50 sample
        Assert.Equal(0f, At(0, 2, 10, 110));  // right of it
        Assert.Equal(0f, At(1, 1, 10, 60));   // right of the 50x100 sample
        Assert.NotEqual(0f, At(0, 0, 10, 10));
        Assert.NotEqual(0f, At(1, 0, 90, 10));
    }

    [Fact]
    public void Batches_match_the_samples_they_were_built_from()
    {
        var ds = Dataset(3);
        var p = new NanoDetSamplePipeline(new InputSpec(64, 48, false), Augmenting);
        using var batch = new ThreadedBatchLoader().Create(ds, p, new BatchLoaderSettings(3, 0, false, false, true, 9)).Batches(2).Single();
        Assert.Equal([3L, 3, 64, 64], batch.Images.shape); // 48 rounded up to 64
        for (int i = 0; i < 3; i++)
        {
            using var img = ds.ReadImage(ds.Images[i]);
            var expected = p.Prepare(img, ds.Images[i], EpochPlan.SampleRandom(9, 2, i));
            var row = MemoryMarshal.Cast<byte, float>(batch.Images[i].contiguous().bytes).ToArray();
            for (int c = 0; c < 3; c++)
                Assert.True(expected.Image.AsSpan(c * 48 * 64, 48 * 64).SequenceEqual(row.AsSpan(c * 64 * 64, 48 * 64)));
            Assert.Equal(expected.Targets, batch.Samples[i].Targets);
            Assert.Empty(batch.Samples[i].Image); // pixels live in the tensor only
        }
    }

    [Fact]
    public void Starting_mid_epoch_yields_exactly_the_remaining_batches()
    {
        // A resume continues at batch k: the same images, pixels and targets as batches k.. of a full epoch.
        var ds = Dataset(11);
        var p = new NanoDetSamplePipeline(new InputSpec(64, 64, false), Augmenting);
        var settings = new BatchLoaderSettings(3, 2, true, true, true, 5);
        var full = Run(ds, p, settings, epoch: 2);
        var tail = Run(ds, p, settings, epoch: 2, startBatch: 2);
        Assert.Equal(3, full.Count);
        Assert.Single(tail);
        Assert.Equal(full[2].Ids, tail[0].Ids);
        Assert.Equal(full[2].Pixels, tail[0].Pixels);
        Assert.Equal(full[2].Targets, tail[0].Targets);
    }

    [Fact]
    public void Cancellation_stops_the_workers()
    {
        var ds = Dataset(12);
        var p = new NanoDetSamplePipeline(new InputSpec(64, 64, false), Augmenting);
        using var cts = new CancellationTokenSource();
        var loader = new ThreadedBatchLoader().Create(ds, p, new BatchLoaderSettings(2, 2, true, false, true, 1));
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var b in loader.Batches(0, cancellation: cts.Token))
            {
                b.Dispose();
                if (++seen == 2) cts.Cancel();
            }
        });
        Assert.Equal(2, seen);
        // leaving early without cancelling also ends cleanly
        foreach (var b in loader.Batches(1))
        {
            b.Dispose();
            break;
        }
    }
}
