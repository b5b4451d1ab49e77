using static TorchSharp.torch;

namespace NanoDet.Checkpoints.PyTorch.Pickle;

/// <summary>
/// A tensor as the pickle describes it: a strided view of a storage. Built only after the view was checked to lie
/// inside the storage; the data is read later, and only for the tensors a caller keeps.
/// </summary>
internal sealed class TensorReference
{
    public required StorageReference Storage { get; init; }

    /// <summary>Element type of the tensor (equals the storage's except for untyped storages).</summary>
    public required ScalarType Dtype { get; init; }

    /// <summary>Offset of element [0, ..., 0] in the storage, in elements of <see cref="Dtype"/>.</summary>
    public required long Offset { get; init; }

    public required long[] Shape { get; init; }

    /// <summary>Strides in elements of <see cref="Dtype"/> (0 for expanded dimensions).</summary>
    public required long[] Stride { get; init; }

    public bool RequiresGrad { get; init; }

    /// <summary>Saved as nn.Parameter (informational: loaded tensors are plain).</summary>
    public bool IsParameter { get; init; }

    /// <summary>The tensor carries a negation bit: its value is minus the stored data.</summary>
    public bool Negated { get; init; }

    /// <summary>The tensor carries a conjugation bit (complex only).</summary>
    public bool Conjugated { get; init; }

    public long NumberOfElements => Shape.Aggregate(1L, (a, b) => a * b);

    public override string ToString() =>
        $"{TorchDtypes.Name(Dtype)}[{string.Join(", ", Shape)}] (storage '{Storage.Key}', offset {Offset}, stride [{string.Join(", ", Stride)}])";
}
