using System.ComponentModel.DataAnnotations;

namespace NanoDet.Heads;

/// <summary>
/// The <c>strides</c> option of the heads: NanoDet's default [8, 16, 32] when absent (NanoDet-Plus configs set
/// [8, 16, 32, 64]), one positive stride per input level otherwise.
/// </summary>
public static class HeadStrides
{
    /// <summary>The strides used when the option is absent.</summary>
    public static IReadOnlyList<int> Default { get; } = [8, 16, 32];

    /// <summary>The configured strides, or <see cref="Default"/>.</summary>
    public static IReadOnlyList<int> Resolve(int[]? configured) => configured is { Length: > 0 } s ? s : Default;

    /// <summary>A validation error for a configured list that is empty or has a stride below 1, else null.</summary>
    public static ValidationResult? Check(int[]? configured, string member) =>
        configured is not null && (configured.Length == 0 || configured.Any(s => s < 1))
            ? new ValidationResult("must list positive strides, one per input level", [member])
            : null;
}
