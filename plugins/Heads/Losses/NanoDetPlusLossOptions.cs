using Microsoft.Extensions.Configuration;

namespace NanoDet.Heads.Losses;

/// <summary>The head's <c>loss</c> section: NanoDet's <c>loss_qfl</c>, <c>loss_dfl</c>, <c>loss_bbox</c>, plus the corner loss <c>loss_pts</c>.</summary>
public sealed class NanoDetPlusLossOptions
{
    [ConfigurationKeyName("loss_qfl")]
    public QualityFocalLossOptions LossQfl { get; set; } = new();

    [ConfigurationKeyName("loss_dfl")]
    public DistributionFocalLossOptions LossDfl { get; set; } = new();

    [ConfigurationKeyName("loss_bbox")]
    public BboxLossOptions LossBbox { get; set; } = new();

    [ConfigurationKeyName("loss_pts")]
    public PointsLossOptions LossPts { get; set; } = new();
}
