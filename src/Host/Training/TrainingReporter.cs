using System.Globalization;
using Microsoft.Extensions.Logging;
using NanoDet.Host.Runtime;
using NanoDet.Training;
using Spectre.Console;
using TorchSharp;

namespace NanoDet.Host.Training;

/// <summary>
/// What a user sees while training: a live Spectre progress bar per epoch (loss terms, lr, images/s, ETA),
/// a Serilog line every <c>log:interval</c> steps, TensorBoard scalars under <c>save_dir/tensorboard</c>.
/// </summary>
internal sealed class TrainingReporter : ITrainingProgress
{
    private readonly ILogger _log;
    private readonly int _interval;
    private readonly TorchSharp.Modules.SummaryWriter? _tensorboard;
    private ProgressTask? _task;
    private ProgressTask? _total;

    public TrainingReporter(ILogger log, string saveDir, int logInterval, bool tensorboard)
    {
        _log = log;
        _interval = Math.Max(1, logInterval);
        if (tensorboard)
            _tensorboard = torch.utils.tensorboard.SummaryWriter(Path.Combine(saveDir, "tensorboard"));
    }

    /// <summary>Runs <paramref name="body"/> inside a live progress display (or plainly when stderr is not a terminal).</summary>
    public T Run<T>(int totalEpochs, int startEpoch, Func<T> body)
    {
        if (!ConsoleUi.IsInteractive) return body();
        return ConsoleUi.Error.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new LiteralDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                _total = ctx.AddTask("total", maxValue: totalEpochs);
                _total.Value = startEpoch;
                _task = ctx.AddTask("epoch", maxValue: 1);
                return body();
            });
    }

    public void BeginEpoch(int epoch, int totalEpochs, int batches, int startBatch)
    {
        if (_task is not null)
        {
            _task.MaxValue = batches;
            _task.Value = startBatch;
            _task.Description = $"epoch {epoch + 1}/{totalEpochs}";
        }
        _log.LogInformation("epoch {Epoch}/{Total}: {Batches} batches{From}", epoch + 1, totalEpochs, batches,
            startBatch > 0 ? $" (resuming at batch {startBatch + 1})" : "");
    }

    /// <summary>After each optimizer step (or skipped step).</summary>
    public void Step(int epoch, int batchIndex, int batches, long globalStep, double lr, double imagesPerSecond, LossMeter meter)
    {
        if (_task is not null)
        {
            _task.Value = batchIndex + 1;
            _task.Description = string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch + 1} loss {meter.Mean("loss"):F3} lr {lr:0.0e+0} {imagesPerSecond:F1} img/s");
        }
        if ((batchIndex + 1) % _interval == 0 || batchIndex + 1 == batches)
        {
            var means = meter.TakeIntervalMeans();
            // TensorBoard gets the interval means (its writer reopens the event file per scalar).
            if (_tensorboard is not null)
            {
                foreach (var (k, v) in means) _tensorboard.add_scalar($"train/{k}", (float)v, (int)globalStep);
                _tensorboard.add_scalar("train/lr", (float)lr, (int)globalStep);
            }
            var text = string.Join(" ", means.OrderBy(kv => kv.Key == "loss" ? "" : kv.Key, StringComparer.Ordinal)
                .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}:{kv.Value:F4}")));
            _log.LogInformation("train e{Epoch} [{Batch}/{Batches}] step {Step} lr {Lr:0.000e+0} {Ips:F1} img/s | {Losses}",
                epoch + 1, batchIndex + 1, batches, globalStep, lr, imagesPerSecond, text);
        }
    }

    public void EndEpoch(EpochRecord record, int epoch, int totalEpochs)
    {
        _total?.Increment(1);
        if (_tensorboard is not null)
            _tensorboard.add_scalar("epoch/images_per_second", (float)record.ImagesPerSecond, epoch);
    }

    public void Validation(int epoch, IReadOnlyDictionary<string, double> metrics, string saveKey, bool best)
    {
        if (_tensorboard is not null)
            foreach (var (k, v) in metrics) _tensorboard.add_scalar($"val/{k}", (float)v, epoch + 1);
        _log.LogInformation("val e{Epoch}: {Key} = {Value:F4}{Best}", epoch + 1, saveKey,
            metrics.TryGetValue(saveKey, out var v2) ? v2 : double.NaN, best ? " (best so far)" : "");
    }
}
