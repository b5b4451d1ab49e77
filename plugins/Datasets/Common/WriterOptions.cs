using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Common;

/// <summary>Options every annotation writer reads: the corner order to write (<c>point_order</c>, as for readers).</summary>
public class WriterOptions
{
    /// <summary>Corner order in the written files (parsed with <see cref="Common.PointOrder.FromSection"/>).</summary>
    [ConfigurationKeyName(DatasetKeys.PointOrder)]
    public string? PointOrder { get; set; }
}
