using NanoDet.Compute.Runtime;

namespace NanoDet.Compute.Tests.Runtime;

public class AllocatorTests
{
    /// <summary>
    /// The test process set libtorch up like the host (module initializer): on Linux with glibc and no user malloc
    /// settings, freed tensor memory is kept for reuse (docs/kernels.md, "Inference at batch 1").
    /// </summary>
    [Fact]
    public void Freed_tensor_memory_is_kept_on_linux_unless_the_user_chose_malloc_settings()
    {
        bool userSet = new[] { "GLIBC_TUNABLES", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_" }
            .Any(n => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(n)));
        LibtorchEnvironment.Apply();
        Assert.Equal(OperatingSystem.IsLinux() && !userSet, LibtorchEnvironment.AllocatorTuned);
    }
}
