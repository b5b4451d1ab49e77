using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Datasets.Common;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.YoloPoints;

/// <summary>Options of the txt writer: <c>layout</c> (<c>sjtu</c> default, <c>pose13</c>, <c>pose17</c>) and <c>point_order</c>.</summary>
public sealed class YoloPointsWriterOptions : WriterOptions
{
    [ConfigurationKeyName(DatasetKeys.Layout)]
    [RegularExpression("(?i)^(sjtu|pose13|pose17)$", ErrorMessage = "must be sjtu, pose13 or pose17")]
    public string Layout { get; set; } = "sjtu";
}
