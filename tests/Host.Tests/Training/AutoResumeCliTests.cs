using NanoDet.Host.Tests.Cli;

namespace NanoDet.Host.Tests.Training;

/// <summary>
/// <c>train --auto-resume</c>, the one command a restarted job runs (deploy/k8s/train-job.yaml): a fresh save_dir
/// starts a new run, a save_dir with a resume state continues it, and it excludes <c>--resume</c>.
/// </summary>
public class AutoResumeCliTests
{
    private static string[] Train(string root, int epochs, params string[] extra) =>
    [
        "train", "--config", TrainingCli.Config, "--set", $"save_dir={Path.Combine(root, "run")}",
        "--set", $"data:train:cache_dir={Path.Combine(root, "cache")}", "--set", $"data:val:cache_dir={Path.Combine(root, "cache")}",
        "--set", "data:train:count=8", "--set", "data:val:count=4",
        "--set", $"schedule:total_epochs={epochs}", "--set", $"schedule:lr_schedule:T_max={epochs}", .. extra,
    ];

    [Fact]
    public void StartsFreshWithoutResumeStateThenContinuesFromIt()
    {
        var root = TestPaths.NewTempDir("auto-resume");

        var first = CliProcess.Run(root, Train(root, 1, "--auto-resume"));
        Assert.True(first.ExitCode == 0, first.All);
        Assert.DoesNotContain("resuming from", first.All);
        Assert.True(File.Exists(Path.Combine(root, "run", "resume_last.safetensors")), first.All);

        var second = CliProcess.Run(root, Train(root, 2, "--auto-resume"));
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("resuming from", second.All);
        Assert.Contains("epoch 2, batch 0", second.All);
        Assert.Equal(2, TrainingCli.State(Path.Combine(root, "run")).Epoch);
    }

    [Fact]
    public void WithResumeIsAUsageError()
    {
        var root = TestPaths.NewTempDir("auto-resume");
        var r = CliProcess.Run(root, Train(root, 1, "--auto-resume", "--resume"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--resume or --auto-resume", r.StdErr);
    }
}
