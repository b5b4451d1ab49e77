using System.Diagnostics;
using NanoDet.Compute.Layers;
using NanoDet.Compute.Runtime;
using static TorchSharp.torch;

namespace NanoDet.Compute.Tests.Runtime;

/// <summary>
/// The TorchSharp Scalar race that <see cref="GcQuietRegion"/> works around: with another thread allocating, in-place
/// scalar ops on this thread fail now and then outside a region, and never inside one.
/// </summary>
public class GcQuietRegionTests
{
    private static (long Calls, int Errors) Hammer(bool quiet, TimeSpan duration, bool stopAtFirstError = false)
    {
        var stop = false;
        var garbage = new Thread(() =>
        {
            var keep = new List<byte[]>();
            while (!Volatile.Read(ref stop))
            {
                keep.Add(new byte[1 << 16]);
                if (keep.Count > 64) keep.Clear();
            }
        });
        garbage.Start();
        using var counter = zeros(1, dtype: int64);
        long calls = 0;
        int errors = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && !(stopAtFirstError && errors > 0))
        {
            using var region = quiet ? GcQuietRegion.Enter() : default;
            for (int i = 0; i < 2000; i++)
            {
                try
                {
                    counter.add_(1);
                }
                catch (System.Runtime.InteropServices.ExternalException)
                {
                    errors++;
                }
                calls++;
            }
        }
        Volatile.Write(ref stop, true);
        garbage.Join();
        return (calls, errors);
    }

    [Fact]
    public void In_place_scalar_ops_survive_concurrent_allocation_inside_a_region()
    {
        var (calls, errors) = Hammer(quiet: true, TimeSpan.FromSeconds(3));
        Assert.True(calls > 10_000, $"only {calls} calls");
        Assert.Equal(0, errors);
    }

    [Fact]
    public void Without_a_region_the_race_is_real()
    {
        // Documents why the region exists; if a TorchSharp release fixes the race this test fails and can go.
        // Stops at the first failure (usually within a second); the long limit is for a machine busy enough that the
        // allocating thread rarely runs at the same time as this one.
        var (calls, errors) = Hammer(quiet: false, TimeSpan.FromSeconds(30), stopAtFirstError: true);
        Assert.True(errors > 0, $"no failure in {calls} unprotected calls: has TorchSharp fixed the Scalar lifetime race?");
    }
}
