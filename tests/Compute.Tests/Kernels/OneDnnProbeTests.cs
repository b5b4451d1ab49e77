using NanoDet.Compute.Kernels;
using NanoDet.Compute.Runtime;

namespace NanoDet.Compute.Tests.Kernels;

public class OneDnnProbeTests
{
    [Fact]
    public void The_cache_key_changes_with_the_libtorch_version_and_the_cpu()
    {
        var here = MachineFingerprint.Current("2.10.0");
        Assert.Equal(here.Hash(), MachineFingerprint.Current("2.10.0").Hash());
        Assert.NotEqual(here.Hash(), (here with { Libtorch = "2.11.0" }).Hash());
        Assert.NotEqual(here.Hash(), (here with { Cpu = here.Cpu + " v2" }).Hash());
        Assert.NotEqual(here.Hash(), (here with { CpuFlags = here.CpuFlags + " avx10" }).Hash());
        Assert.NotEqual(OneDnnProbe.CachePath(here), OneDnnProbe.CachePath(here with { Libtorch = "2.11.0" }));
    }

    [Fact]
    public void A_probe_child_checks_a_level_and_the_process_uses_an_exact_one()
    {
        // This process's level was set at start-up by the same probe (or the user's environment).
        var applied = LibtorchEnvironment.Applied!;
        Assert.Contains(applied.Source, new[] { "probe", "cached probe", "environment", "fallback" });
        if (applied.Source == "environment") return;
        Assert.Contains(applied.Isa, OneDnnProbe.Levels);

        var level = OneDnnProbe.RunChildFor(applied.Isa);
        Assert.Null(level.Failure);
        Assert.True(level.Exact, $"{applied.Isa}: worst error {level.WorstError:E2} on {level.WorstCase}");
    }
}
