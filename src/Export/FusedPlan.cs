using NanoDet.Abstractions.Export;
using NanoDet.Compute.Fused;
using NanoDet.Compute.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Export;

/// <summary>
/// A model's eval-mode forward for one input shape as a <see cref="FusedProgram"/>: the network runs on the fused
/// CPU kernels (src/Compute/Fused) over native buffers, with no libtorch call per operation. At build the program's
/// output is compared with the module-by-module forward on the same input; a plan that disagrees is not returned.
/// Like <see cref="TorchScriptPlan"/> it reports itself stale once a weight it was built from is written.
/// </summary>
public sealed class FusedPlan : IDisposable
{
    /// <summary>Largest difference from the module forward accepted at build, relative to the output's largest magnitude (floor 1).</summary>
    public const double Tolerance = 1e-4;

    private readonly FusedProgram _program;
    private readonly WeightVersions _sources;

    private FusedPlan(FusedProgram program, WeightVersions sources, long[] inputShape, double difference)
    {
        (_program, _sources, InputShape, Difference) = (program, sources, inputShape, difference);
    }

    /// <summary>The input shape [B, 3, H, W] the plan was built for.</summary>
    public long[] InputShape { get; }

    /// <summary>The output's shape.</summary>
    public long[] OutputShape => _program.OutputShape;

    /// <summary>The largest absolute difference from the module forward seen at build.</summary>
    public double Difference { get; }

    /// <summary>The program (operations, buffers) for diagnostics.</summary>
    public FusedProgram Program => _program;

    /// <summary>
    /// Builds the plan for <paramref name="model"/> (eval mode) and inputs shaped like <paramref name="input"/> (float32,
    /// CPU) and checks it on that input. Throws <see cref="NotSupportedException"/> when the CPU lacks AVX2/FMA or part
    /// of the graph has no fused form, and <see cref="InvalidOperationException"/> when the check fails or version
    /// counters are unavailable. <paramref name="threads"/> threads share the convolutions and pooling.
    /// </summary>
    public static FusedPlan Build(nn.Module model, Tensor input, int threads = 1)
    {
        if (!FusedKernels.IsSupported) throw new NotSupportedException("the fused CPU kernels need AVX2 and FMA");
        if (model is not IOnnxExportable exportable)
            throw new NotSupportedException($"{model.GetType().Name} does not describe its graph ({nameof(IOnnxExportable)})");
        WeightVersions.EnsureAvailable("fused plan");
        if (input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32)
            throw new NotSupportedException("fused plans run float32 on the CPU");
        if (model.training) throw new InvalidOperationException("fused plans are built from a model in eval mode");
        var builder = new FusedGraphBuilder(input.shape);
        var outputs = exportable.ExportOnnx(builder, [builder.Input]);
        if (outputs.Count != 1) throw new NotSupportedException($"{model.GetType().Name} has {outputs.Count} outputs; plans return one");
        var program = builder.Build(outputs[0], threads);
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var expected = TensorArrays.ToFloatArray(((nn.Module<Tensor, Tensor>)model).forward(input));
            var got = new float[expected.Length];
            program.Run(TensorArrays.ToFloatArray(input), got);
            double difference = 0, scale = 1;
            for (int i = 0; i < got.Length; i++)
            {
                difference = Math.Max(difference, Math.Abs((double)got[i] - expected[i]));
                scale = Math.Max(scale, Math.Abs(expected[i]));
            }
            if (!(difference <= Tolerance * scale))
                throw new InvalidOperationException($"the fused program differs from the module forward by {difference:G3} (allowed {Tolerance * scale:G3})");
            var sources = new WeightVersions(builder.Sources);
            return new FusedPlan(program, sources, input.shape, difference);
        }
        catch
        {
            program.Dispose();
            throw;
        }
    }

    /// <summary>True while no weight the plan was built from has been written since.</summary>
    public bool IsCurrent => _sources.IsCurrent;

    /// <summary>input (the built shape's floats, NCHW) → a new array of the output's floats.</summary>
    public float[] Run(ReadOnlySpan<float> input)
    {
        var output = new float[_program.OutputCount];
        _program.Run(input, output);
        return output;
    }

    public void Dispose() => _program.Dispose();
}
