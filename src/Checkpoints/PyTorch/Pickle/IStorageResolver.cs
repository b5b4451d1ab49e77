using NanoDet.Inference.Errors;
using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>Answers the pickle's persistent ids: finds and checks the storage record they name.</summary>
internal interface IStorageResolver
{
    /// <summary>
    /// Resolves storage <paramref name="key"/> of <paramref name="numel"/> elements of <paramref name="dtype"/>;
    /// throws <see cref="NanoDet.Inference.Errors.InputDataException"/> if the record is missing or too short.
    /// </summary>
    StorageReference Resolve(string key, ScalarType dtype, long numel, string location);
}
