using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Abstractions.Model;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using NanoDet.Training.Data;

namespace NanoDet.Training.Validation;

/// <summary>
/// A split to evaluate on: the dataset, a deterministic loader, the evaluator, the runner (with the configured
/// post-process) and the key that picks the best checkpoint. Used by training validation and <c>eval --checkpoint</c>.
/// </summary>
public sealed record ValidationSet(
    IDetectionDataset Dataset,
    IBatchLoader Loader,
    IDetectionEvaluator Evaluator,
    DetectionRunner Runner,
    string SaveKey)
{
    /// <summary>The configured post-process and evaluator (cheap; resolve them before loading data so a bad name fails fast).</summary>
    public static (IDetectionPostProcessor PostProcessor, IDetectionEvaluator Evaluator, string SaveKey) ResolveEvaluation(
        IConfiguration config, IPluginResolver resolver)
    {
        var postSection = config.GetSection("postprocess");
        var post = resolver.Create<IDetectionPostProcessor>(PluginKind.PostProcess, postSection,
            DefaultPlugins.NameOr(postSection, DefaultPlugins.PostProcess));
        var evalSection = config.GetSection("evaluator");
        var evaluator = resolver.Create<IDetectionEvaluator>(PluginKind.Evaluator, evalSection,
            DefaultPlugins.NameOr(evalSection, DefaultPlugins.Evaluator));
        return (post, evaluator, evaluator.SaveKey);
    }

    /// <summary>Builds the evaluation of <paramref name="sectionPath"/> (e.g. <c>data:val</c>).</summary>
    public static ValidationSet Build(IConfiguration config, IPluginResolver resolver, DataFactory data, string sectionPath,
        int batchSize, int workers, int seed, IDetectionDataset? dataset = null)
    {
        var (post, evaluator, saveKey) = ResolveEvaluation(config, resolver);
        dataset ??= data.Dataset(sectionPath);
        return Build(data, sectionPath, dataset, post, evaluator, saveKey, batchSize, workers, seed);
    }

    /// <summary>Builds the evaluation of a loaded dataset with already resolved parts.</summary>
    public static ValidationSet Build(DataFactory data, string sectionPath, IDetectionDataset dataset,
        IDetectionPostProcessor post, IDetectionEvaluator evaluator, string saveKey, int batchSize, int workers, int seed)
    {
        var loader = data.Loader(dataset, sectionPath,
            new BatchLoaderSettings(batchSize, workers, Shuffle: false, DropLast: false, Augment: false, Seed: seed));
        return new ValidationSet(dataset, loader, evaluator, new DetectionRunner(post), saveKey);
    }

    /// <summary>
    /// Runs <paramref name="model"/> on the split and evaluates; plots go to <paramref name="plotDirectory"/> when
    /// given. Images that could not be decoded (<see cref="DetectionRunner.Skipped"/>) are left out of the
    /// evaluation too, so their objects do not count as missed.
    /// </summary>
    public EvaluationReport Evaluate(DetectorModule model, TorchSharp.torch.Device device, string? plotDirectory, CancellationToken cancellation)
    {
        var detections = Runner.Run(model, Loader, device, cancellation);
        var images = Dataset.Images;
        if (Runner.Skipped.Count > 0)
        {
            var left = Runner.Skipped.Select(s => s.Location).ToHashSet(StringComparer.Ordinal);
            images = images.Where(r => !left.Contains(r.Path)).ToArray();
        }
        return Evaluator.Evaluate(new EvaluationInput(Dataset.Classes, images, detections), plotDirectory);
    }
}
