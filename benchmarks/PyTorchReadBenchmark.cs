using System.Security.Cryptography;
using System.Text.Json;
using NanoDet.Checkpoints.PyTorch;

namespace NanoDet.Benchmarks;

/// <summary>
/// Time to read a PyTorch checkpoint's state dict (restricted unpickling of the whole file + loading the kept
/// tensors). Input: any .pth/.ckpt, e.g. one made by scripts/pytorch/make-lightning-like-checkpoint.py, whose
/// optional digest file is checked tensor by tensor.
/// </summary>
public sealed class PyTorchReadBenchmark : IBenchmark
{
    public string Name => "pytorch-read";

    public string Description => "read a PyTorch .pth/.ckpt state dict: pytorch-read FILE [DIGESTS.json]";

    public int Run(IReadOnlyList<string> args)
    {
        if (args.Count is < 1 or > 2)
        {
            Console.Error.WriteLine("usage: pytorch-read FILE [DIGESTS.json]");
            return 2;
        }
        var path = args[0];
        string summary;
        long bytes;
        using (var c = CheckpointReader.Read(path))
        {
            summary = c.Metadata.Describe();
            bytes = c.StateDict.Values.Sum(t => t.NumberOfElements * t.ElementSize);
            if (args.Count == 2)
            {
                var digests = JsonDocument.Parse(File.ReadAllText(args[1])).RootElement;
                var checkedCount = 0;
                foreach (var entry in digests.EnumerateObject())
                {
                    var actual = Convert.ToHexString(SHA256.HashData(c.StateDict[entry.Name].bytes)).ToLowerInvariant();
                    if (actual != entry.Value.GetString())
                    {
                        Console.Error.WriteLine($"digest mismatch for {entry.Name}");
                        return 1;
                    }
                    checkedCount++;
                }
                if (checkedCount != c.StateDict.Count)
                {
                    Console.Error.WriteLine($"{checkedCount} digests for {c.StateDict.Count} tensors");
                    return 1;
                }
                summary += $"; all {checkedCount} tensors match their SHA-256 digests";
            }
        }
        var timing = Measure.Time(() =>
        {
            using var c = CheckpointReader.Read(path);
        }, warmup: 2, runs: 10);
        Console.WriteLine(summary);
        Console.WriteLine();
        Console.WriteLine("| file | file MB | state dict MB | read (median) |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| {Path.GetFileName(path)} | {new FileInfo(path).Length / 1e6:F1} | {bytes / 1e6:F1} | {timing} |");
        return 0;
    }
}
