using System.Text.Json;
using NanoDet.Evaluators.Coco;
using NanoDet.Evaluators.Io;

namespace NanoDet.Evaluators.Tests.Parity;

/// <summary>
/// Our COCOeval against pycocotools' own output on the committed cases (generate_cases.py --expect ran
/// pycocotools once; CI needs no Python). Every value must be bit-identical, not merely close: the stats,
/// NanoDet's per-class AP50/mAP, the mean precision and the recall of every (IoU, class, area, maxDets) cell,
/// and the 12 printed summary lines character for character.
/// </summary>
public class PycocotoolsParityTests
{
    public static TheoryData<string> Cases() =>
        new(Directory.GetFiles(CaseDir, "*.expected.json").Select(f => Path.GetFileName(f)[..^".expected.json".Length]).Order());

    private static string CaseDir => Path.Combine(AppContext.BaseDirectory, "Parity", "cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stats_and_summary_equal_pycocotools(string name)
    {
        var (expected, report, _) = Run(name);
        var stats = expected.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(12, stats.Length);
        for (int i = 0; i < 12; i++)
            Assert.True(BitEquals(stats[i], report.Metrics[CocoSummary.StatNames[i]]),
                $"{name}: stat {i} ({CocoSummary.StatNames[i]}): pycocotools {stats[i]:R}, ours {report.Metrics[CocoSummary.StatNames[i]]:R}");
        Assert.Contains(expected.GetProperty("summary").GetString()!, report.Text);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Per_class_ap_equals_nanodet_on_pycocotools(string name)
    {
        var (expected, report, data) = Run(name);
        var perClass = expected.GetProperty("per_class").EnumerateArray().ToArray();
        Assert.Equal(perClass.Length, report.PerClass.Count);
        for (int k = 0; k < perClass.Length; k++)
        {
            Assert.Equal(perClass[k].GetProperty("category_id").GetInt32(), data.CategoryIds[k]);
            AssertNanoDetValue(perClass[k].GetProperty("ap50"), report.PerClass[k].Ap50, $"{name} class {k} AP50");
            AssertNanoDetValue(perClass[k].GetProperty("map"), report.PerClass[k].Map, $"{name} class {k} mAP");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_precision_and_recall_cell_equals_pycocotools(string name)
    {
        var (expected, _, data) = Run(name);
        var acc = CocoEvaluator.Run(data, BoxOverlap.Instance, CocoParameters.Bbox());
        var p = acc.Parameters;
        var ap = expected.GetProperty("mean_precision_tkam");
        var rec = expected.GetProperty("recall_tkam");
        int cells = 0;
        var row = new double[p.R];
        for (int t = 0; t < p.T; t++)
            for (int k = 0; k < acc.K; k++)
                for (int a = 0; a < p.A; a++)
                    for (int m = 0; m < p.M; m++)
                    {
                        for (int r = 0; r < p.R; r++) row[r] = acc.Precision[acc.PrecisionIndex(t, r, k, a, m)];
                        double ours = row[0] > -1 ? Numerics.NumpyMean.Mean(row) : -1;
                        double theirs = ap[t][k][a][m].GetDouble();
                        Assert.True(BitEquals(theirs, ours), $"{name}: mean precision t={t} k={k} a={a} m={m}: pycocotools {theirs:R}, ours {ours:R}");
                        double r1 = rec[t][k][a][m].GetDouble(), r2 = acc.Recall[acc.RecallIndex(t, k, a, m)];
                        Assert.True(BitEquals(r1, r2), $"{name}: recall t={t} k={k} a={a} m={m}: pycocotools {r1:R}, ours {r2:R}");
                        cells++;
                    }
        Assert.Equal(p.T * acc.K * p.A * p.M, cells);
    }

    private static void AssertNanoDetValue(JsonElement expected, double ours, string what)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(ours), $"{what}: pycocotools has no value (no ground truth), ours {ours:R}");
            return;
        }
        double theirs = expected.GetDouble();
        Assert.True(BitEquals(theirs, ours * 100), $"{what}: NanoDet/pycocotools {theirs:R}, ours {ours * 100:R}");
    }

    private static bool BitEquals(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (a == 0 && b == 0);

    private static (JsonElement Expected, Abstractions.Evaluation.EvaluationReport Report, Coco.EvalDataset Data) Run(string name)
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(CaseDir, name + ".expected.json"))).RootElement;
        var evaluator = new CocoDetectionEvaluator();
        var input = evaluator.ReadCocoFiles(Path.Combine(CaseDir, name + ".gt.json"), Path.Combine(CaseDir, name + ".dt.json"));
        var data = ExactInputs.Find(input)!;
        return (expected, evaluator.Evaluate(input, null), data);
    }
}
