using System.Runtime.CompilerServices;
using NanoDet.Abstractions.Evaluation;
using NanoDet.Evaluators.Coco;

namespace NanoDet.Evaluators.Io;

/// <summary>
/// Remembers, for an <see cref="EvaluationInput"/> built by <c>ReadCocoFiles</c>, the double-precision values the
/// files contained. The shared records hold floats (boxes, areas, scores); evaluating the floats would round
/// 123.45 to 123.4499969…, merge scores that differ after the 7th digit into ties and move areas across the
/// 1024/9216 bounds, so numbers could differ from pycocotools' on the same files. Keyed weakly by the input
/// object: an input that was not read from files (or a copy made with <c>with</c>) is evaluated from its records.
/// </summary>
internal static class ExactInputs
{
    private static readonly ConditionalWeakTable<EvaluationInput, EvalDataset> Table = new();

    public static void Remember(EvaluationInput input, EvalDataset data) => Table.AddOrUpdate(input, data);

    public static EvalDataset? Find(EvaluationInput input) => Table.TryGetValue(input, out var data) ? data : null;
}
