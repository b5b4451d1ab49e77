using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>
/// The epoch loop (docs/reference.md#training-schedule): per step, the explicit learning rate, training forward (with the aux branch),
/// loss, backward, global-norm clipping, AdamW, EMA update; per epoch, validation of the EMA weights every
/// <c>val_intervals</c>, the best checkpoint by the evaluator's save key, and the last weights + resume state.
/// A non-finite loss or gradient skips its step (counted; a run of them aborts); an image that cannot be decoded is
/// left out of its batch for the epoch (logged, counted in the epoch record; more than
/// <c>schedule:max_undecodable_share</c> of the epoch's images aborts); a cancellation (Ctrl+C, SIGTERM) lets the
/// current step finish, writes a resume state and returns.
/// </summary>
public sealed class Trainer(TrainingSession session, ITrainingProgress progress, ILogger log)
{
    private readonly TrainingSession s = session;

    public TrainingOutcome Run(TrainingState state, CancellationToken cancellation)
    {
        return progress.Run(s.Schedule.TotalEpochs, state.Epoch, () => Loop(state, progress, cancellation));
    }

    private TrainingOutcome Loop(TrainingState state, ITrainingProgress reporter, CancellationToken cancellation)
    {
        int total = s.Schedule.TotalEpochs;
        int batches = s.TrainLoader.BatchesPerEpoch;
        bool withPoints = s.Model.Layout.NumPoints > 0;
        while (state.Epoch < total)
        {
            int epoch = state.Epoch;
            s.Model.train();
            s.Model.Epoch = epoch;
            var meter = new LossMeter();
            meter.Restore(state.PartialEpochLosses);
            int skipped = state.PartialEpochSkipped;
            var undecodable = new UndecodableTally(state.PartialEpochUndecodable, state.PartialEpochUndecodableFiles);
            double secondsBefore = state.PartialEpochSeconds;
            var clock = Stopwatch.StartNew();
            int imagesThisRun = 0;
            double lr = 0;
            reporter.BeginEpoch(epoch, total, batches, state.BatchInEpoch);

            // The loader is not handed the token: a stop request lets the current step finish first.
            foreach (var batch in s.TrainLoader.Batches(epoch, state.BatchInEpoch, CancellationToken.None))
            {
                using (batch)
                {
                    foreach (var bad in batch.Skipped)
                        log.LogWarning("{File}: {Reason}: {Detail} (left out of epoch {Epoch})", bad.Location, bad.Reason, bad.Detail, epoch + 1);
                    var before = undecodable;
                    undecodable = undecodable.With(batch.Skipped);
                    int epochImages = batches * s.TrainBatchSize;
                    if (undecodable.Count > s.Schedule.MaxUndecodableShare * epochImages)
                    {
                        // This batch is not trained on: a resume after the files are fixed rebuilds it.
                        SavePartial(state, meter, skipped, secondsBefore + clock.Elapsed.TotalSeconds, before);
                        s.Checkpoints.SaveResume(s.Model, s.Ema, s.Optimizer, state);
                        return TrainingOutcome.Aborted(undecodable.AbortMessage(epoch, epochImages, s.Schedule.MaxUndecodableShare));
                    }
                    if (batch.Count == 0)
                    {
                        // every image of the batch failed: nothing to learn from, the plan position still advances
                        state.BatchInEpoch++;
                        continue;
                    }
                    var ok = Step(batch, epoch, state, meter, withPoints, out lr);
                    imagesThisRun += batch.Count;
                    if (!ok)
                    {
                        skipped++;
                        state.NonFiniteTotal++;
                        if (++state.NonFiniteRun >= s.Schedule.MaxNonFiniteSteps)
                            return Abort(state, meter, skipped, secondsBefore + clock.Elapsed.TotalSeconds, epoch, undecodable);
                    }
                    else
                    {
                        state.NonFiniteRun = 0;
                    }
                }
                reporter.Step(epoch, state.BatchInEpoch, batches, state.GlobalStep, lr,
                    imagesThisRun / Math.Max(1e-9, clock.Elapsed.TotalSeconds), meter);
                state.BatchInEpoch++;
                if (cancellation.IsCancellationRequested && state.BatchInEpoch < batches)
                {
                    SavePartial(state, meter, skipped, secondsBefore + clock.Elapsed.TotalSeconds, undecodable);
                    s.Checkpoints.SaveResume(s.Model, s.Ema, s.Optimizer, state);
                    return TrainingOutcome.Interrupted(s.Checkpoints.ResumePath, epoch, state.BatchInEpoch);
                }
            }

            double seconds = secondsBefore + clock.Elapsed.TotalSeconds;
            var record = new EpochRecord
            {
                Epoch = epoch,
                Losses = meter.EpochMeans(),
                LearningRate = lr,
                Seconds = seconds,
                ImagesPerSecond = batches * (double)s.TrainBatchSize / Math.Max(1e-9, seconds),
                SkippedSteps = skipped,
                UndecodableImages = undecodable.Count,
            };
            if (undecodable.Count > 0)
                log.LogWarning("epoch {Epoch}: {Count} training images could not be decoded and were left out: {Files}",
                    epoch + 1, undecodable.Count, undecodable.FirstFilesText());
            state.Epoch++;
            state.BatchInEpoch = 0;
            SavePartial(state, null, 0, 0, UndecodableTally.None);

            // EMA weights go to the evaluation copy for validation and for model_last.
            s.Ema.ApplyTo(s.EvalModel);
            bool validate = s.Validation is not null && ((epoch + 1) % s.Schedule.ValIntervals == 0 || epoch + 1 == total);
            if (validate && !cancellation.IsCancellationRequested)
                Validate(epoch, record, state, reporter, cancellation);
            state.History.Add(record);
            s.Checkpoints.SaveWeights(s.Checkpoints.LastWeightsPath, s.EvalModel, epoch, record.Metrics);
            s.Checkpoints.SaveResume(s.Model, s.Ema, s.Optimizer, state);
            reporter.EndEpoch(record, epoch, total);
            if (cancellation.IsCancellationRequested && state.Epoch < total)
                return TrainingOutcome.Interrupted(s.Checkpoints.ResumePath, state.Epoch, 0);
        }
        return TrainingOutcome.Completed();
    }

    /// <summary>One optimizer step; false when the loss or the gradient norm is not finite (nothing is updated).</summary>
    private bool Step(DetectionBatch batch, int epoch, TrainingState state, LossMeter meter, bool withPoints, out double lr)
    {
        // No collection while this step's native calls run (TorchSharp Scalar lifetime race, see GcQuietRegion).
        using var quiet = GcQuietRegion.Enter();
        using var scope = NewDisposeScope();
        lr = s.LearningRate.Apply(s.Optimizer, state.GlobalStep, epoch);
        var images = batch.Images.to(s.Device);
        var targets = DetectionTargets.FromBatch(batch, s.Device, withPoints);
        var (preds, aux) = s.Model.ForwardTrain(images);
        var loss = s.Model.Loss(preds, aux, targets);
        float total = loss.Total.item<float>();
        if (!float.IsFinite(total))
        {
            log.LogWarning("non-finite loss at epoch {Epoch} step {Step}: skipped", epoch + 1, state.GlobalStep);
            return false;
        }
        s.Optimizer.zero_grad();
        loss.Total.backward();
        double norm = s.GradClip > 0
            ? GradientClipper.ClipGlobalNorm(s.Model.parameters(), s.GradClip)
            : 0;
        if (!double.IsFinite(norm))
        {
            s.Optimizer.zero_grad();
            log.LogWarning("non-finite gradient at epoch {Epoch} step {Step}: skipped", epoch + 1, state.GlobalStep);
            return false;
        }
        s.Optimizer.step();
        state.GlobalStep++;
        s.Ema.Update(s.Model, state.GlobalStep);
        meter.Add(loss.Terms, total);
        return true;
    }

    private void Validate(int epoch, EpochRecord record, TrainingState state, ITrainingProgress reporter, CancellationToken cancellation)
    {
        var v = s.Validation!;
        EvaluationReport report;
        try
        {
            report = v.Evaluate(s.EvalModel, s.Device, null, cancellation);
        }
        catch (OperationCanceledException)
        {
            log.LogWarning("validation of epoch {Epoch} interrupted", epoch + 1);
            return;
        }
        if (!report.Metrics.TryGetValue(v.SaveKey, out var metric))
            throw new ConfigurationException(
                $"evaluator:save_key: '{v.SaveKey}' is not a metric of {v.Evaluator.GetType().Name}; available: {string.Join(", ", report.Metrics.Keys)}");
        record.Metrics = report.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var bad in v.Runner.Skipped)
            log.LogWarning("{File}: {Reason}: {Detail} (left out of the validation)", bad.Location, bad.Reason, bad.Detail);
        log.LogInformation("validation after epoch {Epoch}:\n{Report}", epoch + 1, report.Text);
        bool best = metric > state.BestMetric;
        if (best)
        {
            state.BestMetric = metric;
            state.BestEpoch = epoch;
            s.Checkpoints.SaveWeights(s.Checkpoints.BestWeightsPath, s.EvalModel, epoch, record.Metrics);
            s.Checkpoints.AppendBestResults(epoch, record.Metrics);
        }
        reporter.Validation(epoch, record.Metrics, v.SaveKey, best);
    }

    private TrainingOutcome Abort(TrainingState state, LossMeter meter, int skipped, double seconds, int epoch, UndecodableTally undecodable)
    {
        SavePartial(state, meter, skipped, seconds, undecodable);
        s.Checkpoints.SaveResume(s.Model, s.Ema, s.Optimizer, state);
        return TrainingOutcome.Aborted(
            $"{state.NonFiniteRun} consecutive steps had a non-finite loss or gradient (epoch {epoch + 1}, step {state.GlobalStep}); " +
            $"weights were not updated by them. Lower schedule:optimizer:lr or check the data; the state is in {s.Checkpoints.ResumePath}");
    }

    private static void SavePartial(TrainingState state, LossMeter? meter, int skipped, double seconds, UndecodableTally undecodable)
    {
        state.PartialEpochLosses = meter?.Snapshot();
        state.PartialEpochSkipped = skipped;
        state.PartialEpochUndecodable = undecodable.Count;
        state.PartialEpochUndecodableFiles = undecodable.Count > 0 ? [.. undecodable.FirstFiles] : null;
        state.PartialEpochSeconds = seconds;
    }
}
