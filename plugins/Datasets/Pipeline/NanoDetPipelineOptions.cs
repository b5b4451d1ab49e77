using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using NanoDet.Abstractions.Data;
using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;

namespace NanoDet.Datasets.Pipeline;

/// <summary>
/// Bound from the dataset section (<c>data:train</c>): NanoDet keeps <c>input_size</c> and <c>keep_ratio</c> beside
/// the <c>pipeline</c> block. The dataset's own keys belong to the dataset plugin.
/// </summary>
[SharedSection]
public sealed class NanoDetPipelineOptions : IValidatableObject
{
    /// <summary>[w, h] of the network input.</summary>
    [ConfigurationKeyName(DatasetKeys.InputSize)]
    public List<int>? InputSize { get; set; }

    [ConfigurationKeyName(DatasetKeys.KeepRatio)]
    public bool KeepRatio { get; set; }

    [ConfigurationKeyName(DatasetKeys.Pipeline)]
    public PipelineSettings Pipeline { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InputSize is null)
            yield return new ValidationResult("missing; set [width, height], e.g. [320, 320]", [nameof(InputSize)]);
        else if (InputSize.Count != 2 || InputSize[0] < 8 || InputSize[1] < 8)
            yield return new ValidationResult("must be [width, height] with sides of at least 8 px", [nameof(InputSize)]);
    }
}
