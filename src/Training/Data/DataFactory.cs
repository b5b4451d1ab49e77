using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Training.Data;

/// <summary>
/// Datasets, pipelines and loaders from config sections such as <c>data:train</c> and <c>data:val</c>, resolved by
/// name through the plugin registry (NanoDet's configs name only the dataset; the pipeline and loader default).
/// </summary>
public sealed class DataFactory(IConfiguration config, IPluginResolver resolver, ILogger log)
{
    /// <summary>Loads the dataset of <paramref name="sectionPath"/> (dataset plugins log their own load summary).</summary>
    public IDetectionDataset Dataset(string sectionPath)
    {
        var section = config.GetSection(sectionPath);
        if (!section.Exists()) throw new ConfigurationException($"{sectionPath}: missing (a dataset section with a name, e.g. XMLDataset)");
        var dataset = resolver.Create<IDetectionDataset>(PluginKind.Dataset, section);
        if (dataset.Images.Count == 0)
            log.LogWarning("{Section}: no usable images ({Summary})", sectionPath, dataset.Report.Summary());
        return dataset;
    }

    /// <summary>The sample pipeline of a dataset section (its <c>pipeline</c> key; input size from the section).</summary>
    public ISamplePipeline Pipeline(string sectionPath) => PipelineOf(resolver, config.GetSection(sectionPath));

    /// <summary>The pipeline configured for a dataset section (NanoDet keeps it in the same section).</summary>
    public static ISamplePipeline PipelineOf(IPluginResolver resolver, IConfigurationSection section) =>
        resolver.Create<ISamplePipeline>(PluginKind.Pipeline, section, section[$"{DatasetKeys.Pipeline}:{DatasetKeys.Name}"] ?? DefaultPlugins.Pipeline);

    /// <summary>A loader over <paramref name="dataset"/> with the pipeline of <paramref name="sectionPath"/>.</summary>
    public IBatchLoader Loader(IDetectionDataset dataset, string sectionPath, BatchLoaderSettings settings) =>
        resolver.Get<IBatchLoaderFactory>(PluginKind.Loader, config["data:loader"] ?? DefaultPlugins.Loader)
            .Create(dataset, Pipeline(sectionPath), settings);
}
