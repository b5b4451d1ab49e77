using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoDet.Training;

/// <summary>JSON settings for training metadata: metrics may be NaN (e.g. corner error with no matches).</summary>
internal static class TrainingJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
