using NanoDet.Inference.Errors;

namespace NanoDet.Abstractions.Plugins;

/// <summary>
/// The registry kinds the host knows how to wire. Kinds are plain strings so that an external assembly can
/// introduce a new one; these constants are the built-in ones.
/// </summary>
public static class PluginKind
{
    /// <summary>Model composition (<c>model:arch:name</c>), e.g. NanoDetPlus.</summary>
    public const string Arch = "arch";
    public const string Backbone = "backbone";
    public const string Fpn = "fpn";
    public const string Head = "head";
    public const string AuxHead = "aux_head";
    public const string Assigner = "assigner";
    /// <summary>Loss terms selectable by name (e.g. the corner loss: DFL, L1, Wing).</summary>
    public const string Loss = "loss";
    public const string Dataset = "dataset";
    public const string Pipeline = "pipeline";
    public const string Loader = "loader";
    /// <summary>Annotation writers (<see cref="Data.IDatasetWriter"/>), named after the dataset plugin that reads the format.</summary>
    public const string DatasetWriter = "dataset_writer";
    public const string Evaluator = "evaluator";
    public const string PostProcess = "postprocess";
}
