using NanoDet.Abstractions.Model;
using NanoDet.Compute.Kernels;
using NanoDet.Host.Configuration;
using NanoDet.Host.Model;
using NanoDet.Host.Tests.Model;
using NanoDet.Inference.Detections;
using NanoDet.Inference.Errors;
using NanoDet.Inference.Geometry;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Runtime;

/// <summary>
/// Every convolution shape of the default model (appsettings.json) and of nanodet-plus-m 1.0x four-point, in a
/// training step and in batch-1 inference: every candidate kernel that supports it equals float64 (forward, input and
/// weight gradients), so whichever the selector picks on a machine is exact.
/// </summary>
public class ModelConvKernelTests
{
    public static TheoryData<string> Models() => new() { "default", "plus-m-1.0x" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_candidate_is_exact_on_every_conv_shape_of_the_model(string which)
    {
        using var scope = NewDisposeScope();
        using var model = which == "default"
            ? DetectorBuilder.Build(NanoDetConfiguration.Build(new ConfigSources(TestPaths.RepoRoot, null, null, new Dictionary<string, string?>(), [])), ModelConfig.Resolver)
            : ModelConfig.Detector(ModelConfig.PlusM("1.0x", 36, 4));
        var calls = Collect(model, which == "default" ? (256, 320) : (320, 320));
        Assert.True(calls.Count > 20, $"only {calls.Count} conv calls seen");

        var failures = new List<string>();
        foreach (var call in calls)
        {
            using var callScope = NewDisposeScope();
            var problem = ConvCheck.Create(call, Math.Min(call.Batch, 2), seed: 3);
            foreach (var kernel in ConvKernelSelector.BuiltInKernels().Where(k => k.Supports(call)))
            {
                var error = problem.Error(kernel);
                if (!(error < ConvKernelSelector.Tolerance)) failures.Add($"{kernel.Name} on {call}: {error:E2}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The conv calls of one training step (batch 2) and one batch-1 inference, read from a private selector.</summary>
    private static List<ConvCall> Collect(DetectorModule model, (int H, int W) size)
    {
        var seen = new HashSet<string>();
        var calls = new List<ConvCall>();
        model.train();
        var (preds, aux) = model.ForwardTrain(randn(2, 3, size.H, size.W));
        (preds.square().mean() + aux!.square().mean()).backward();
        model.eval();
        using (var _ = no_grad()) model.forward(randn(1, 3, size.H, size.W));
        foreach (var call in ConvKernelSelector.Shared.CallsInUse)
            if ((call.Batch == 2 && call.Training || call.Batch == 1 && !call.Training) && seen.Add(call.Key)) calls.Add(call);
        return calls;
    }
}
