using Microsoft.Extensions.Configuration;

namespace NanoDet.Training;

/// <summary>
/// The plugins the host uses when the configuration names none: NanoDet's configs name the dataset, the model parts
/// and the optimizer, and leave the pipeline, loader, post-process and evaluator to the framework. Every verb and
/// builder takes its default from here.
/// </summary>
public static class DefaultPlugins
{
    public const string Pipeline = "NanoDetPipeline";
    public const string Loader = "ThreadedBatchLoader";
    public const string PostProcess = "NanoDetPostProcess";
    public const string Evaluator = "CocoDetectionEvaluator";

    /// <summary>The dataset plugin that <c>nanodet synth</c> drives (it generates its images).</summary>
    public const string SyntheticDataset = "SyntheticArmor";

    /// <summary>
    /// The name to pass to <c>IPluginResolver.Create</c> for <paramref name="section"/>: null when the section names
    /// its plugin (<c>name</c>), else <paramref name="fallback"/>.
    /// </summary>
    public static string? NameOr(IConfigurationSection section, string fallback) =>
        string.IsNullOrWhiteSpace(section["name"]) ? fallback : null;
}
