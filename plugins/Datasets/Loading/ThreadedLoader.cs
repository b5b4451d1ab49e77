using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Loading;

/// <summary>
/// Decodes, augments and collates batches on worker threads with bounded prefetch. Workers take whole batches in
/// order; the consumer receives them in order. Workers beyond the core count are not started, and at most
/// max(prefetch, workers) batches are built or waiting at any time. Every sample's augmentation depends only on (seed, epoch, dataset index), so the batches are identical
/// for any worker count, including 0 (everything on the calling thread).
/// </summary>
public sealed class ThreadedLoader : IBatchLoader
{
    private readonly IDetectionDataset _dataset;
    private readonly ISamplePipeline _pipeline;
    private readonly BatchLoaderSettings _settings;

    public ThreadedLoader(IDetectionDataset dataset, ISamplePipeline pipeline, BatchLoaderSettings settings)
    {
        if (settings.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(settings), "batch size must be at least 1");
        if (settings.Workers < 0) throw new ArgumentOutOfRangeException(nameof(settings), "workers must not be negative");
        _dataset = dataset;
        _pipeline = pipeline;
        _settings = settings;
    }

    public int BatchesPerEpoch => EpochPlan.BatchCount(_dataset.Images.Count, _settings.BatchSize, _settings.DropLast);

    public IEnumerable<DetectionBatch> Batches(int epoch, int startBatch = 0, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startBatch);
        // The plan depends only on (seed, epoch): skipping its head resumes mid-epoch without decoding anything.
        var plan = EpochPlan.Batches(_dataset.Images.Count, _settings.BatchSize, _settings.Shuffle, _settings.DropLast, _settings.Seed, epoch)
            .Skip(startBatch).ToArray();
        return _settings.Workers == 0 ? Inline(plan, epoch, cancellation) : Threaded(plan, epoch, cancellation);
    }

    /// <summary>
    /// One batch: decode, pipeline and collate each listed dataset item. An item whose file cannot be read or
    /// decoded (an <see cref="InputDataException"/> from the dataset or the pipeline) is left
    /// out and listed in <see cref="DetectionBatch.Skipped"/>; the others keep their augmentation draws, which depend
    /// only on (seed, epoch, index), so a skip never shifts another sample.
    /// </summary>
    public DetectionBatch Build(int[] indices, int epoch, CancellationToken cancellation)
    {
        var samples = new List<PreparedSample>(indices.Length);
        List<SkippedItem>? skipped = null;
        foreach (int i in indices)
        {
            cancellation.ThrowIfCancellationRequested();
            var record = _dataset.Images[i];
            try
            {
                using var image = _dataset.ReadImage(record);
                var rng = _settings.Augment ? EpochPlan.SampleRandom(_settings.Seed, epoch, i) : null;
                // mosaic and mixup read their partner images from the same dataset, drawn from the sample's own rng
                samples.Add(rng is not null && _pipeline is IMixingSamplePipeline mixing
                    ? mixing.Prepare(image, record, rng, _dataset, epoch, _settings.TotalEpochs)
                    : _pipeline.Prepare(image, record, rng));
            }
            catch (InputDataException e)
            {
                (skipped ??= []).Add(new SkippedItem(record.Path, SkipReasons.UndecodableImage, WithoutPath(e.Message, record.Path), true));
            }
        }
        return BatchCollator.Collate(samples, skipped);
    }

    private static string WithoutPath(string message, string path) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;

    private IEnumerable<DetectionBatch> Inline(int[][] plan, int epoch, CancellationToken cancellation)
    {
        foreach (var indices in plan) yield return Build(indices, epoch, cancellation);
    }

    private IEnumerable<DetectionBatch> Threaded(int[][] plan, int epoch, CancellationToken cancellation)
    {
        int count = plan.Length;
        if (count == 0) yield break;
        var results = new TaskCompletionSource<DetectionBatch>[count];
        for (int b = 0; b < count; b++) results[b] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // More CPU-bound threads than cores only add memory (each holds a batch): NanoDet configs ask for 16.
        int threads = Math.Min(_settings.Workers, Environment.ProcessorCount);
        int inFlight = Math.Max(Math.Max(1, _settings.Prefetch), threads);
        using var credits = new SemaphoreSlim(inFlight);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        int next = -1;
        var workers = new Task[Math.Min(threads, count)];
        for (int w = 0; w < workers.Length; w++)
            workers[w] = Task.Factory.StartNew(() => Work(plan, epoch, results, credits, () => Interlocked.Increment(ref next), stop.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        int handedOut = 0;
        try
        {
            for (int taken = 0; taken < count; taken++)
            {
                // Task.Wait returns a finished batch without looking at the token: check it, so nothing is handed
                // out after the caller cancelled, however far the workers ran ahead.
                cancellation.ThrowIfCancellationRequested();
                var task = results[taken].Task;
                try
                {
                    task.Wait(cancellation);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count == 1)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
                credits.Release();
                handedOut++;
                yield return task.Result;
            }
        }
        finally
        {
            stop.Cancel();
            try { Task.WaitAll(workers, CancellationToken.None); }
            catch (AggregateException) { /* workers stopped by the cancellation above */ }
            // Batches built but never handed out own native tensors.
            for (int b = handedOut; b < count; b++)
                if (results[b].Task.IsCompletedSuccessfully) results[b].Task.Result.Dispose();
        }
    }

    private void Work(int[][] plan, int epoch, TaskCompletionSource<DetectionBatch>[] results, SemaphoreSlim credits,
        Func<int> claim, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                credits.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            int b = claim();
            if (b >= plan.Length) return;
            try
            {
                results[b].SetResult(Build(plan[b], epoch, stop));
            }
            catch (OperationCanceledException e)
            {
                results[b].TrySetCanceled(e.CancellationToken);
                return;
            }
            catch (Exception e)
            {
                results[b].SetException(e);
                return;
            }
        }
    }
}
