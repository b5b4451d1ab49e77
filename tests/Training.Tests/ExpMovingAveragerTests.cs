using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using NanoDet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Training.Tests;

/// <summary>docs/reference.md#ema-weights: a_i = D·exp(−(1+i)/2000) + (1 − D) is the weight of the NEW values.</summary>
public class ExpMovingAveragerTests
{
    [Theory]
    // D = 0.9998: i=0 → 0.9998·e^−0.0005 + 0.0002 = 0.9995; i=2000 → 0.9998·e^−1.0005 + 0.0002 = 0.3678;
    // i=50000 → 0.9998·e^−25 + 0.0002 = 0.0002.
    [InlineData(0, 0.9995)]
    [InlineData(100, 0.9508)]
    [InlineData(1000, 0.6063)]
    [InlineData(2000, 0.3678)]
    [InlineData(5000, 0.0822)]
    [InlineData(10000, 0.00693)]
    [InlineData(20000, 0.000245)]
    [InlineData(50000, 0.0002)]
    public void Coefficient_golden_values(long i, double a)
    {
        double got = ExpMovingAverager.Coefficient(0.9998, i);
        // docs/reference.md#ema-weights quotes 3–4 significant figures.
        Assert.True(Math.Abs(got - a) <= 2e-3 * a, $"a_{i} = {got:G6}, expected {a:G4}");
    }

    /// <summary>Linear(2→2) + BatchNorm1d(2): float parameters, float running stats and an int64 num_batches_tracked.</summary>
    private static nn.Module<Tensor, Tensor> Model(int seed)
    {
        random.manual_seed(seed);
        return nn.Sequential(("fc", nn.Linear(2, 2)), ("bn", nn.BatchNorm1d(2)));
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module m) =>
        m.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(m.named_buffers())
            .ToDictionary(e => e.Item1, e => e.Item2.detach().clone());

    private static void TrainStep(nn.Module<Tensor, Tensor> m, float shift)
    {
        using var noGrad = no_grad();
        m.train();
        m.forward(tensor(new float[] { 1 + shift, 2, 3, 4 - shift, 0, 1 }).reshape(3, 2));   // moves BN running stats, counts a batch
        foreach (var p in m.parameters()) p.add_(shift);
    }

    [Fact]
    public void Update_mixes_new_values_with_coefficient_a_and_copies_int_buffers()
    {
        using var scope = NewDisposeScope();
        var model = Model(1);
        using var ema = new ExpMovingAverager(0.9998);
        ema.LoadFrom(model);
        Assert.Equal(["bn.bias", "bn.num_batches_tracked", "bn.running_mean", "bn.running_var", "bn.weight", "fc.bias", "fc.weight"], ema.State.Keys.Order());
        var before = Snapshot(model);
        TrainStep(model, 0.5f);
        var after = Snapshot(model);
        ema.Update(model, 1000);
        double a = ExpMovingAverager.Coefficient(0.9998, 1000);          // 0.6063
        foreach (var name in new[] { "fc.weight", "fc.bias", "bn.weight", "bn.running_mean", "bn.running_var" })
        {
            var expected = before[name] * (1 - a) + after[name] * a;
            Assert.True(allclose(expected, ema.State[name], rtol: 1e-6, atol: 1e-7), name);
        }
        Assert.Equal(1L, ema.State["bn.num_batches_tracked"].item<long>());   // copied, not truncated to 0
    }

    [Fact]
    public void Exported_state_resumes_exactly_and_applies_to_an_evaluation_copy()
    {
        using var scope = NewDisposeScope();
        var model = Model(2);
        using var straight = new ExpMovingAverager();
        straight.LoadFrom(model);
        using var resumed = new ExpMovingAverager();
        resumed.LoadFrom(model);
        for (int i = 0; i < 3; i++) { TrainStep(model, 0.1f * (i + 1)); straight.Update(model, i); resumed.Update(model, i); }

        // "Checkpoint" after step 2, restore into a fresh averager, then both continue.
        var saved = resumed.ExportState();
        Assert.All(saved.Values, t => Assert.Equal(DeviceType.CPU, t.device_type));
        using var restored = new ExpMovingAverager();
        restored.ImportState(saved, model);
        for (int i = 3; i < 6; i++) { TrainStep(model, 0.1f * (i + 1)); straight.Update(model, i); restored.Update(model, i); }
        foreach (var (name, value) in straight.State)
            Assert.True(equal(value, restored.State[name]).all().item<bool>(), name);

        // Evaluation copy: a second module receives the averaged weights and buffers.
        var evalCopy = Model(99);
        restored.ApplyTo(evalCopy);
        foreach (var (name, value) in Snapshot(evalCopy))
            Assert.True(equal(value, restored.State[name]).all().item<bool>(), name);
        Assert.False(equal(Snapshot(model)["fc.weight"], Snapshot(evalCopy)["fc.weight"]).all().item<bool>());
    }

    [Fact]
    public void Importing_a_state_of_another_model_names_the_entry()
    {
        using var scope = NewDisposeScope();
        var model = Model(3);
        using var ema = new ExpMovingAverager();
        ema.LoadFrom(model);
        var saved = ema.ExportState();
        saved.Remove("bn.running_var");
        var e = Assert.Throws<InputDataException>(() => new ExpMovingAverager().ImportState(saved, model));
        Assert.Equal("EMA state: missing entry 'bn.running_var'", e.Message);
        saved["bn.running_var"] = ones(3);
        e = Assert.Throws<InputDataException>(() => new ExpMovingAverager().ImportState(saved, model));
        Assert.Contains("'bn.running_var' has shape [3], the model [2]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpMovingAverager(1.5));
    }
}
