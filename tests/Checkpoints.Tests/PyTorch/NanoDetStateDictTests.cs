using NanoDet.Checkpoints.PyTorch;

namespace NanoDet.Checkpoints.Tests.PyTorch;

/// <summary>Selecting the inference weights from a (tiny, NanoDet-named) Lightning checkpoint.</summary>
public class NanoDetStateDictTests
{
    [Fact]
    public void Default_selection_drops_the_assign_guidance_branch_only()
    {
        using var c = CheckpointReader.Read(PyTorchFixtures.PathOf("lightning.ckpt"));
        var s = NanoDetStateDict.ForInference(c.StateDict);

        // 32 entries: backbone 6, fpn 6, head 9 kept; aux_fpn 6 and aux_head 5 dropped.
        Assert.Equal(21, s.Tensors.Count);
        Assert.Equal(11, s.Dropped.Count);
        Assert.All(s.Dropped, k => Assert.Matches("^aux_(fpn|head)\\.", k));
        Assert.True(s.HasNanoDetParts);
        Assert.Equal(c.StateDict.Keys.Where(k => !k.StartsWith("aux_", StringComparison.Ordinal)), s.Tensors.Keys);
        foreach (var (k, t) in s.Tensors) Assert.Same(c.StateDict[k], t);
    }

    [Fact]
    public void Options_drop_the_project_buffer_and_batch_counters()
    {
        using var c = CheckpointReader.Read(PyTorchFixtures.PathOf("lightning.ckpt"));
        var s = NanoDetStateDict.ForInference(c.StateDict, new NanoDetInferenceOptions
        {
            DropAuxiliary = false,
            DropDistributionProject = true,
            DropNumBatchesTracked = true,
        });
        // 4 BatchNorms (backbone, fpn, head, aux_fpn) each had num_batches_tracked, plus the project buffer.
        Assert.Equal(
            ["backbone.conv1.1.num_batches_tracked", "fpn.reduce_layers.0.bn.num_batches_tracked", NanoDetStateDict.DistributionProjectKey,
             "head.cls_convs.0.0.bn.num_batches_tracked", "aux_fpn.reduce_layers.0.bn.num_batches_tracked"],
            s.Dropped);
        Assert.Equal(27, s.Tensors.Count);
    }

    [Fact]
    public void A_non_NanoDet_state_dict_is_flagged()
    {
        using var c = CheckpointReader.Read(PyTorchFixtures.PathOf("dtypes.pth"));
        Assert.False(NanoDetStateDict.ForInference(c.StateDict).HasNanoDetParts);
    }
}
