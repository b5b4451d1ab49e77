using NanoDet.Checkpoints;

namespace NanoDet.Checkpoints.Tests;

public class CheckpointKeysTests
{
    [Fact]
    public void Ema_entries_overwrite_raw_ones_and_the_lightning_prefix_is_stripped()
    {
        // A Lightning checkpoint: raw weights under model., the EMA copy under avg_model. (docs/reference.md#weight-names-and-checkpoint-loading steps 1-2).
        var entries = new List<(string, int)> { ("model.a", 1), ("model.b", 2), ("avg_model.a", 10), ("avg_model.b", 20) };
        Assert.Equal([("a", 10), ("b", 20)], CheckpointKeys.Normalize(entries));
        // The EMA copy wins even when it comes first.
        Assert.Equal([("a", 10)], CheckpointKeys.Normalize(new List<(string, int)> { ("avg_model.a", 10), ("model.a", 1) }));
    }

    [Fact]
    public void Data_parallel_prefix_then_model_prefix_are_stripped_when_the_first_key_has_them()
    {
        Assert.Equal([("x.w", 1), ("y", 2)], CheckpointKeys.Normalize(new List<(string, int)> { ("module.model.x.w", 1), ("module.model.y", 2) }));
        Assert.Equal([("backbone.w", 1)], CheckpointKeys.Normalize(new List<(string, int)> { ("backbone.w", 1) }));
        // Only a leading prefix of the first key triggers stripping (NanoDet checks the first key).
        Assert.Equal([("head.model.w", 1)], CheckpointKeys.Normalize(new List<(string, int)> { ("head.model.w", 1) }));
    }
}
