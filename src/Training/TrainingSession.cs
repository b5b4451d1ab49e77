using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training;

/// <summary>Everything one training run works with, built once by the host from configuration and plugins.</summary>
public sealed class TrainingSession : IDisposable
{
    public required string SaveDir { get; init; }
    public required Device Device { get; init; }
    public required ScheduleOptions Schedule { get; init; }
    /// <summary>Max global L2 norm of the gradients; 0 disables clipping.</summary>
    public required double GradClip { get; init; }
    public required int LogInterval { get; init; }

    /// <summary>The model being trained (raw weights).</summary>
    public required DetectorModule Model { get; init; }

    /// <summary>A second instance that receives the EMA weights for validation and checkpoints.</summary>
    public required DetectorModule EvalModel { get; init; }

    public required IBatchLoader TrainLoader { get; init; }
    public required int TrainBatchSize { get; init; }

    /// <summary>Validation split (null: no validation configured).</summary>
    public required ValidationSet? Validation { get; init; }

    public required TorchSharp.Modules.OptimizerHelper Optimizer { get; init; }
    public required LearningRateSchedule LearningRate { get; init; }
    public required ExpMovingAverager Ema { get; init; }
    public required CheckpointStore Checkpoints { get; init; }

    public void Dispose()
    {
        Ema.Dispose();
        Optimizer.Dispose();
        Model.Dispose();
        EvalModel.Dispose();
    }
}
