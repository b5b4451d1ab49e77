using NanoDet.Checkpoints;
using NanoDet.Detectors;
using NanoDet.Host.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoDet.Host.Tests.Model;

public class NanoDetPlusStructureTests
{
    private static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(80, 0, "nanodet-plus-m_416.state_dict.tsv")]
    [InlineData(36, 4, "nanodet-plus-m_416-fourpoint-c36.state_dict.tsv")]
    public void State_dict_keys_shapes_dtypes_and_order_equal_the_reference_table(int classes, int points, string table)
    {
        using var model = ModelConfig.Detector(ModelConfig.PlusM("1.0x", classes, points));
        var ours = ModuleStateDict.Ordered(model);
        var reference = ReferenceTable.Read(table);
        Assert.Equal(887, reference.Count);
        Assert.Equal(reference.Select(r => r.Key), ours.Select(o => o.Key));
        foreach (var ((key, shape, dtype), (_, t)) in reference.Zip(ours))
        {
            Assert.True(shape.SequenceEqual(t.shape), $"{key}: [{string.Join(",", t.shape)}] vs [{string.Join(",", shape)}]");
            Assert.Equal(dtype, t.dtype == ScalarType.Int64 ? "int64" : t.dtype == ScalarType.Float32 ? "float32" : t.dtype.ToString());
        }
        // TorchSharp's own state_dict() has the same key set.
        Assert.Equal(reference.Select(r => r.Key).Order(), model.state_dict().Keys.Order());
    }

    [Fact]
    public void Parameter_counts_equal_the_reference_figures_for_plain_1_0x()
    {
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.PlusM("1.0x", 80, 0));
        Assert.Equal(776_420, Count(model.Backbone));
        Assert.Equal(282_048, Count(model.Fpn));
        Assert.Equal(139_456, Count(model.Head));
        Assert.Equal(282_048, Count(model.AuxFpn));
        Assert.Equal(2_850_932, Count(model.AuxHead));
        Assert.Equal(4_330_904, Count(model));
        long inference = model.named_parameters().Where(p => !model.IsTrainingOnly(p.name)).Sum(p => p.parameter.numel());
        Assert.Equal(1_197_924, inference);
    }

    [Fact]
    public void Parameter_counts_equal_the_reference_figures_for_four_point_c36()
    {
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.PlusM("1.0x", 36, 4));
        Assert.Equal(147_216, Count(model.Head));
        Assert.Equal(2_885_512, Count(model.AuxHead));
        Assert.Equal(4_373_244, Count(model));
        long inference = model.named_parameters().Where(p => !model.IsTrainingOnly(p.name)).Sum(p => p.parameter.numel());
        Assert.Equal(1_205_684, inference);
    }

    [Fact]
    public void Parameter_counts_equal_the_reference_figures_for_1_5x()
    {
        using var model = (NanoDetPlus)ModelConfig.Detector(ModelConfig.PlusM("1.5x", 80, 0));
        Assert.Equal(1_755_680, Count(model.Backbone));
        Assert.Equal(503_552, Count(model.Fpn));
        Assert.Equal(218_560, Count(model.Head));
        Assert.Equal(503_552, Count(model.AuxFpn));
        Assert.Equal(4_980_852, Count(model.AuxHead));
        Assert.Equal(7_962_196, Count(model));
        long inference = model.named_parameters().Where(p => !model.IsTrainingOnly(p.name)).Sum(p => p.parameter.numel());
        Assert.Equal(2_477_792, inference);
    }
}
