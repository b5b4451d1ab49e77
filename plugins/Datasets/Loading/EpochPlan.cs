using NanoDet.Datasets.Common;

namespace NanoDet.Datasets.Loading;

/// <summary>
/// The batches of one epoch: a permutation seeded by (seed, epoch) when shuffling, cut into batches, the last
/// incomplete one dropped when asked; and the augmentation seed of every sample, which depends only on
/// (seed, epoch, dataset index).
/// </summary>
public static class EpochPlan
{
    private const long ShuffleStream = 0x5348554646;   // "SHUFF"
    private const long SampleStream = 0x53414D504C45;  // "SAMPLE"

    /// <summary>Dataset indices of each batch of <paramref name="epoch"/>.</summary>
    public static int[][] Batches(int count, int batchSize, bool shuffle, bool dropLast, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (shuffle)
        {
            var rng = new Random(SeedMixer.Seed(ShuffleStream, seed, epoch));
            for (int i = count - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        int batches = BatchCount(count, batchSize, dropLast);
        var result = new int[batches][];
        for (int b = 0; b < batches; b++)
            result[b] = order.AsSpan(b * batchSize, Math.Min(batchSize, count - b * batchSize)).ToArray();
        return result;
    }

    public static int BatchCount(int count, int batchSize, bool dropLast) =>
        dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;

    /// <summary>The augmentation random source of dataset item <paramref name="index"/> in <paramref name="epoch"/>.</summary>
    public static Random SampleRandom(int seed, int epoch, int index) => new(SeedMixer.Seed(SampleStream, seed, epoch, index));
}
