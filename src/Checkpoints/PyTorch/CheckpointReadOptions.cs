namespace NanoDet.Checkpoints.PyTorch;

/// <summary>Options for <see cref="CheckpointReader.Read(string, CheckpointReadOptions?)"/>.</summary>
internal sealed record CheckpointReadOptions
{
    public static readonly CheckpointReadOptions Default = new();

    /// <summary>
    /// Use the EMA weights (<c>avg_model.*</c>) where a Lightning checkpoint has them, as NanoDet's loader does
    /// (default). When false, <c>avg_model.*</c> entries are dropped and the raw <c>model.*</c> weights are kept.
    /// </summary>
    public bool PreferEma { get; init; } = true;
}
