using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Checkpoints;
using NanoDet.Compute.Kernels;
using NanoDet.Host.Configuration;
using NanoDet.Host.Model;
using NanoDet.Host.Plugins;
using NanoDet.Host.Runtime;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training;
using NanoDet.Training.Data;
using NanoDet.Training.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Training;

/// <summary>
/// Builds a <see cref="TrainingSession"/> from the configuration, failing before any work when a dataset is
/// missing or the configuration cannot work (every such error names its key).
/// </summary>
internal sealed class TrainingSessionBuilder(IConfiguration config, IPluginResolver resolver, ILogger log)
{
    public TrainingSession Build(ResumeFile? resume)
    {
        var saveDir = Cli.NanoDetHostFactory.SaveDir(config);
        var schedule = OptionsBinder.Bind<ScheduleOptions>(config.GetSection("schedule"));
        var optimizerOptions = OptionsBinder.Bind<OptimizerOptions>(config.GetSection("schedule:optimizer"));
        var warmup = OptionsBinder.Bind<WarmupOptions>(config.GetSection("schedule:warmup"));
        var lrOptions = OptionsBinder.Bind<LrScheduleOptions>(config.GetSection("schedule:lr_schedule"));
        var averager = OptionsBinder.Bind<WeightAveragerOptions>(config.GetSection("model:weight_averager"));
        var deviceOptions = OptionsBinder.Bind<DeviceOptions>(config.GetSection("device"));
        double gradClip = ReadDouble("grad_clip", 35);
        int logInterval = (int)ReadDouble("log:interval", 50);

        // Everything cheap first (model, evaluator, device), so a bad name or value fails before data is loaded or
        // generated; then the data, which fails on a missing dataset before any training work.
        torch.manual_seed(schedule.Seed);
        var device = DeviceSelector.Resolve(config, log);
        var model = DetectorBuilder.Build(config, resolver);
        var evalModel = DetectorBuilder.Build(config, resolver);
        bool validate = config.GetSection("data:val").Exists();
        var evaluation = validate ? ValidationSet.ResolveEvaluation(config, resolver) : default;

        var data = new DataFactory(config, resolver, log);
        var train = data.Dataset("data:train");
        if (train.Images.Count == 0)
            throw new InputDataException($"data:train: no usable images ({train.Report.Summary()})");
        CheckClasses(model, train.Classes);
        IDetectionDataset? val = null;
        if (validate)
        {
            val = data.Dataset("data:val");
            if (!val.Classes.Names.SequenceEqual(train.Classes.Names))
                throw new ConfigurationException("data:val: class_names differ from data:train's");
        }
        else
        {
            log.LogWarning("data:val is not configured: training runs without validation or a best checkpoint");
        }
        model.to(device);
        evalModel.to(device);

        int batch = deviceOptions.BatchSizePerGpu;
        int workers = deviceOptions.WorkersPerGpu;
        var trainLoader = data.Loader(train, "data:train",
            new BatchLoaderSettings(batch, workers, Shuffle: true, DropLast: true, Augment: true, Seed: schedule.Seed,
                TotalEpochs: schedule.TotalEpochs));
        if (trainLoader.BatchesPerEpoch == 0)
            throw new ConfigurationException(
                $"device:batchsize_per_gpu: {batch} is larger than the {train.Images.Count} training images (the last incomplete batch is dropped)");
        var validation = val is null
            ? null
            : ValidationSet.Build(data, "data:val", val, evaluation.PostProcessor, evaluation.Evaluator, evaluation.SaveKey, batch, workers, schedule.Seed);

        if (resume is null && !string.IsNullOrWhiteSpace(schedule.LoadModel))
            LoadPretrained(model, schedule.LoadModel);

        var optimizer = OptimizerFactory.Create(optimizerOptions, model);
        var lr = LearningRateSchedule.From(optimizerOptions, warmup, lrOptions);
        if (lr.PeriodWarning(schedule.TotalEpochs) is { } warning) log.LogWarning("{Warning}", warning);
        var ema = new ExpMovingAverager(averager.Decay);
        ema.LoadFrom(model);
        resume?.Restore(model, ema, optimizer, device);
        if (resume?.State.ConvKernels is { Count: > 0 } kernels)
        {
            ConvKernelSelector.Shared.Pin(kernels);
            log.LogInformation("resume: {Count} convolution kernel choices pinned from the resume state", kernels.Count);
        }

        var configJson = ConfigJson.FromConfiguration(config, "Serilog");
        return new TrainingSession
        {
            SaveDir = saveDir,
            Device = device,
            Schedule = schedule,
            GradClip = gradClip,
            LogInterval = logInterval,
            Model = model,
            EvalModel = evalModel,
            TrainLoader = trainLoader,
            TrainBatchSize = batch,
            Validation = validation,
            Optimizer = optimizer,
            LearningRate = lr,
            Ema = ema,
            Checkpoints = new CheckpointStore(saveDir, configJson, train.Classes.Names),
        };
    }

    private static void CheckClasses(DetectorModule model, ClassTable classes)
    {
        if (model.Layout.NumClasses != classes.Count)
            throw new ConfigurationException(
                $"model:arch:head:num_classes: {model.Layout.NumClasses}, but data:train has {classes.Count} classes ({string.Join(", ", classes.Names.Take(6))}{(classes.Count > 6 ? ", ..." : "")})");
    }

    /// <summary>schedule:load_model: weights from a file of this tool or PyTorch, loaded partially with a report.</summary>
    private void LoadPretrained(DetectorModule model, string path)
    {
        using var scope = NewDisposeScope();
        var (entries, description, _, _) = WeightsReader.Read(path);
        var report = StateDictLoader.LoadPartial(model, entries, path);
        log.LogInformation("schedule:load_model: {Path} ({Description}): {Report}", path, description, report.Summary());
    }

    private double ReadDouble(string key, double fallback)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ConfigurationException($"{key}: '{text}' is not a number");
    }
}
