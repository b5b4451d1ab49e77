using NanoDet.Abstractions.Plugins;
using NanoDet.Inference.Errors;
using Xunit.Abstractions;

namespace NanoDet.Host.Tests.BadInput;

/// <summary>
/// Issue 17: every malformed input of the corpus gives its documented outcome (a skip with a reason, or a one-line
/// error and exit code), and a seeded random mutation run over valid files of every format never crashes, hangs
/// or shows an internal message.
/// </summary>
public class FuzzCorpusTests(ITestOutputHelper output)
{
    /// <summary>Longest a reader may take on one small file before it counts as a hang.</summary>
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(20);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in FuzzCorpus.Cases()) data.Add(c.ToString());
        return data;
    }

    [Fact]
    public void The_corpus_covers_every_format_with_at_least_40_inputs()
    {
        var cases = FuzzCorpus.Cases().ToList();
        Assert.True(cases.Count >= 40, $"{cases.Count} cases");
        Assert.Equal(Enum.GetValues<FuzzFormat>().Order(), cases.Select(c => c.Format).Distinct().Order());
        Assert.Equal(cases.Count, cases.Select(c => c.ToString()).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_malformed_input_gives_its_documented_outcome(string name)
    {
        var c = FuzzCorpus.Cases().Single(k => k.ToString() == name);
        var actual = Within(() => FuzzReaders.Read(c.Format, c.Content, TestPaths.NewTempDir("fuzz")), name);
        Assert.Equal(c.Expected, actual);
    }

    [Fact]
    public void Seeded_random_mutations_of_valid_files_never_crash_hang_or_leak_an_internal_message()
    {
        const int perFormat = 20;
        var rng = new Random(1717);
        var tally = new Dictionary<string, int>();
        foreach (var format in Enum.GetValues<FuzzFormat>())
        {
            var valid = FuzzReaders.Valid(format);
            Assert.Equal(FuzzOutcome.Ok, FuzzReaders.Read(format, valid, TestPaths.NewTempDir("fuzz-valid")));
            for (int i = 0; i < perFormat; i++)
            {
                var (mutant, how) = Mutate(valid, rng);
                var where = $"{format} mutant {i} ({how})";
                var outcome = Within(() => FuzzReaders.Read(format, mutant, TestPaths.NewTempDir("fuzz-mut")), where);
                var key = $"{format}: {outcome.Text.Split(':')[0].Split(' ')[0]}";
                tally[key] = tally.GetValueOrDefault(key) + 1;
            }
        }
        foreach (var (k, v) in tally.OrderBy(kv => kv.Key, StringComparer.Ordinal)) output.WriteLine($"{k}: {v}");
    }

    /// <summary>Flips 1-8 bytes, truncates, or extends (random bytes or a repeated slice).</summary>
    private static (byte[] Bytes, string How) Mutate(byte[] valid, Random rng)
    {
        var b = (byte[])valid.Clone();
        switch (rng.Next(3))
        {
            case 0:
                int flips = rng.Next(1, 9);
                for (int k = 0; k < flips; k++) b[rng.Next(b.Length)] ^= (byte)rng.Next(1, 256);
                return (b, $"{flips} bytes flipped");
            case 1:
                int keep = rng.Next(b.Length);
                return (b[..keep], $"cut to {keep} bytes");
            default:
                int at = rng.Next(b.Length);
                var extra = new byte[rng.Next(1, 65)];
                if (rng.Next(2) == 0) rng.NextBytes(extra);
                else for (int k = 0; k < extra.Length; k++) extra[k] = b[(at + k) % b.Length];
                return ([.. b[..at], .. extra, .. b[at..]], $"{extra.Length} bytes inserted at {at}");
        }
    }

    /// <summary>Runs a read with the per-file time limit; only user-facing outcomes may come back.</summary>
    private static FuzzOutcome Within(Func<FuzzOutcome> read, string what)
    {
        var task = Task.Run(read);
        try
        {
            Assert.True(task.Wait(PerFile), $"{what}: no result after {PerFile.TotalSeconds} s (hang)");
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            var inner = e.InnerExceptions[0];
            Assert.Fail($"{what}: internal exception {inner.GetType().Name}: {inner.Message}\n{inner.StackTrace}");
        }
        Assert.True(task.Result.Text.IndexOf('\n') < 0);
        return task.Result;
    }
}
