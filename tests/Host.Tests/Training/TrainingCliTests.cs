using System.Diagnostics;
using System.Text.Json;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Host.Tests.Cli;
using NanoDet.Training;

namespace NanoDet.Host.Tests.Training;

/// <summary>A four-epoch run of the tiny fixture config, shared by the tests that compare against it.</summary>
public sealed class UninterruptedRun
{
    public UninterruptedRun()
    {
        Root = TestPaths.NewTempDir("train");
        Cache = Path.Combine(Root, "cache");
        SaveDir = Path.Combine(Root, "full");
        Result = TrainingCli.Train(this, SaveDir);
    }

    public string Root { get; }
    public string Cache { get; }
    public string SaveDir { get; }
    public CliProcess.Result Result { get; }
}

internal static class TrainingCli
{
    public static string Config => Path.Combine(TestPaths.BinDir, "Fixtures", "tiny-train.json");

    public static string[] Args(UninterruptedRun run, string saveDir, params string[] extra) =>
    [
        "train", "--config", Config, "--set", $"save_dir={saveDir}",
        "--set", $"data:train:cache_dir={run.Cache}", "--set", $"data:val:cache_dir={run.Cache}", .. extra,
    ];

    public static CliProcess.Result Train(UninterruptedRun run, string saveDir, params string[] extra) =>
        CliProcess.Run(run.Root, Args(run, saveDir, extra));

    /// <summary>Raw weights and EMA state of a run's resume file, by name.</summary>
    public static Dictionary<string, byte[]> TrainedTensors(string saveDir) =>
        SafetensorsFile.Read(Path.Combine(saveDir, "resume_last.safetensors")).Tensors
            .Where(t => t.Name.StartsWith("model.", StringComparison.Ordinal) || t.Name.StartsWith("ema.", StringComparison.Ordinal))
            .ToDictionary(t => t.Name, t => t.Data);

    public static TrainingState State(string saveDir) =>
        JsonSerializer.Deserialize<TrainingState>(
            SafetensorsFile.Read(Path.Combine(saveDir, "resume_last.safetensors")).Metadata[CheckpointFormat.TrainingStateKey], TrainingJson.Options)!;

    public static void AssertSameWeights(string expectedDir, string actualDir)
    {
        var a = TrainedTensors(expectedDir);
        var b = TrainedTensors(actualDir);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        var different = a.Keys.Where(k => !a[k].AsSpan().SequenceEqual(b[k])).ToList();
        Assert.True(different.Count == 0, $"{different.Count} of {a.Count} tensors differ, e.g. {string.Join(", ", different.Take(5))}");
    }
}

/// <summary>
/// `nanodet train` end to end on a tiny synthetic set (issue 5): resume equals an uninterrupted run, an interrupted
/// run resumes exactly, the loss falls and `eval` reads the checkpoint, faults give clear errors.
/// </summary>
public class TrainingCliTests(UninterruptedRun full) : IClassFixture<UninterruptedRun>
{
    [Fact]
    public void A_short_run_lowers_the_loss_and_writes_checkpoints_that_eval_reads()
    {
        Assert.True(full.Result.ExitCode == 0, full.Result.All);
        var state = TrainingCli.State(full.SaveDir);
        Assert.Equal(4, state.History.Count);
        Assert.True(state.History[^1].Losses["loss"] < state.History[0].Losses["loss"],
            $"loss did not fall: {string.Join(" -> ", state.History.Select(h => h.Losses["loss"]))}");
        Assert.All(state.History, h => Assert.NotNull(h.Metrics));
        foreach (var f in new[] { "model_last.safetensors", "model_best/model_best.safetensors", "model_best/eval_results.txt", "curves.png" })
            Assert.True(File.Exists(Path.Combine(full.SaveDir, f)), f);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(full.SaveDir, "tensorboard")));

        var json = Path.Combine(full.Root, "eval.json");
        var eval = CliProcess.Run(full.Root, "eval", "--checkpoint", Path.Combine(full.SaveDir, "model_last.safetensors"), "--json", json);
        Assert.True(eval.ExitCode == 0, eval.All);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Contains("mAP", doc.RootElement.GetRawText());
    }

    [Fact]
    public void Three_epochs_then_resume_give_the_same_weights_as_four_epochs()
    {
        var dir = Path.Combine(full.Root, "three-plus-one");
        var first = TrainingCli.Train(full, dir, "--set", "schedule:total_epochs=3");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Equal(3, TrainingCli.State(dir).Epoch);

        // The resume file carries the config; the command line only raises the epoch count.
        var second = CliProcess.Run(full.Root, "train", "--resume", Path.Combine(dir, "resume_last.safetensors"),
            "--set", "schedule:total_epochs=4");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("resuming from", second.StdErr);
        TrainingCli.AssertSameWeights(full.SaveDir, dir);
        Assert.Equal(TrainingCli.State(full.SaveDir).GlobalStep, TrainingCli.State(dir).GlobalStep);
        Assert.NotEmpty(TrainingCli.State(dir).ConvKernels!);
    }

    [Fact]
    public void A_resume_on_an_empty_kernel_cache_pins_the_recorded_kernels_and_stays_exact()
    {
        var dir = Path.Combine(full.Root, "three-plus-one-fresh-cache");
        var first = TrainingCli.Train(full, dir, "--set", "schedule:total_epochs=3");
        Assert.True(first.ExitCode == 0, first.All);
        var recorded = TrainingCli.State(dir).ConvKernels!;
        Assert.NotEmpty(recorded);

        // A new cache folder: no probe result and no kernel choices; the resume state alone decides the kernels.
        var cache = Path.Combine(full.Root, "empty-cache");
        var second = CliProcess.Run(full.Root, new Dictionary<string, string> { ["NANODET_CACHE"] = cache },
            "train", "--resume", Path.Combine(dir, "resume_last.safetensors"), "--set", "schedule:total_epochs=4");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains($"resume: {recorded.Count} convolution kernel choices pinned", second.StdErr);
        TrainingCli.AssertSameWeights(full.SaveDir, dir);
        foreach (var (key, kernel) in recorded) Assert.Equal(kernel, TrainingCli.State(dir).ConvKernels![key]);
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [Fact]
    public async Task Ctrl_c_in_the_middle_of_an_epoch_saves_a_state_that_resumes_exactly()
    {
        var dir = Path.Combine(full.Root, "interrupted");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = full.Root };
        psi.ArgumentList.Add(Path.Combine(TestPaths.BinDir, "nanodet.dll"));
        foreach (var a in TrainingCli.Args(full, dir)) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var lines = new List<string>();
        bool signalled = false;
        string? line;
        while ((line = await p.StandardError.ReadLineAsync()) is not null)
        {
            lines.Add(line);
            if (!signalled && line.Contains("train e2 [1/"))
            {
                // The signal must land while batches 2–4 of the epoch's 4 run: sent with the system call itself, not by
                // starting a `kill` process, whose start-up on a busy machine could outlast the three batches.
                Assert.Equal(0, SendSignal(p.Id, SigInt));
                signalled = true;
            }
        }
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)));
        await stdout;
        var all = string.Join('\n', lines);
        Assert.True(signalled, all);
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}\n{all}");
        Assert.Contains("nanodet train --resume", all);
        var stopped = TrainingCli.State(dir);
        Assert.True(stopped.Epoch == 1 && stopped.BatchInEpoch is > 0 and < 4, $"stopped at epoch {stopped.Epoch} batch {stopped.BatchInEpoch}");

        var resumed = CliProcess.Run(full.Root, "train", "--resume", Path.Combine(dir, "resume_last.safetensors"));
        Assert.True(resumed.ExitCode == 0, resumed.All);
        TrainingCli.AssertSameWeights(full.SaveDir, dir);
    }

    [Fact]
    public void Runs_of_non_finite_losses_abort_with_a_clear_message_and_keep_the_state()
    {
        var dir = Path.Combine(full.Root, "nan");
        // A third-party head (tests/SamplePlugin, loaded from a plugin folder) whose loss is always NaN.
        var plugins = TestPaths.InstallSamplePlugin(Path.Combine(full.Root, "plugins-nan"));
        var r = TrainingCli.Train(full, dir, "--set", $"plugins:paths=[{plugins}]", "--set", "model:arch:head:name=NonFiniteLossHead",
            "--set", "schedule:max_nonfinite_steps=2");
        Assert.True(r.ExitCode == 1, r.All);
        Assert.Contains("error: aborted: 2 consecutive steps had a non-finite loss or gradient", r.StdErr);
        Assert.True(File.Exists(Path.Combine(dir, "resume_last.safetensors")));
    }

    [Fact]
    public void An_unknown_backbone_exits_2_naming_the_key_and_the_available_backbones()
    {
        var r = TrainingCli.Train(full, Path.Combine(full.Root, "nope"), "--set", "model:arch:backbone:name=Nope");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("model:arch:backbone:name: unknown backbone 'Nope'; available: ShuffleNetV2", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void A_missing_dataset_fails_before_any_training_naming_the_key()
    {
        var r = TrainingCli.Train(full, Path.Combine(full.Root, "missing"),
            "--set", "data:train:name=XMLDataset", "--set", "data:train:img_path=/nonexistent/images", "--set", "data:train:ann_path=/nonexistent/xml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("data:train:ann_path: folder not found", r.StdErr);
        Assert.DoesNotContain("epoch 1/", r.StdErr);
    }

    [Fact]
    public void Training_and_evaluation_run_unchanged_on_a_dataset_in_SJTU_txt_format()
    {
        // Issue 9: write the tiny synthetic set as SJTU txt files, then train and evaluate on them with YoloPointsDataset.
        var data = Path.Combine(full.Root, "sjtu");
        var synth = CliProcess.Run(full.Root, "synth", "--config", TrainingCli.Config, "--output", data, "--count", "16",
            "--val-count", "8", "--format", "txt");
        Assert.True(synth.ExitCode == 0, synth.All);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "train", "labels"), "*.txt"));
        Assert.False(Directory.Exists(Path.Combine(data, "train", "xml")));

        var dir = Path.Combine(full.Root, "sjtu-run");
        var sets = new List<string>();
        foreach (var split in new[] { "train", "val" })
        {
            sets.AddRange(["--set", $"data:{split}:name=YoloPointsDataset",
                "--set", $"data:{split}:img_path={Path.Combine(data, split, "images")}",
                "--set", $"data:{split}:ann_path={Path.Combine(data, split, "labels")}"]);
        }
        var train = TrainingCli.Train(full, dir, [.. sets, "--set", "schedule:total_epochs=1", "--set", "device:batchsize_per_gpu=4"]);
        Assert.True(train.ExitCode == 0, train.All);
        Assert.Contains("train: 16 images", train.StdErr);

        var eval = CliProcess.Run(full.Root, "eval", "--checkpoint", Path.Combine(dir, "model_last.safetensors"));
        Assert.True(eval.ExitCode == 0, eval.All);
        Assert.Contains("Average Precision", eval.StdOut);
    }

    [Fact]
    public void Load_model_starts_from_a_pytorch_lightning_checkpoint_with_a_partial_load_report()
    {
        // Issue 8: schedule:load_model takes a PyTorch .ckpt (written by real torch.save; EMA weights preferred). Its
        // architecture differs from the tiny config except the 0.5x backbone: those load, the rest keep their init.
        var ckpt = Path.Combine(TestPaths.BinDir, "Fixtures", "export", "fourpoint_lightning.ckpt");
        var r = TrainingCli.Train(full, Path.Combine(full.Root, "from-ckpt"),
            "--set", $"schedule:load_model={ckpt}", "--set", "schedule:total_epochs=1");
        Assert.True(r.ExitCode == 0, r.All);
        var line = r.StdErr.Split('\n').Single(l => l.Contains("schedule:load_model:"));
        Assert.Contains("EMA", line);
        Assert.Matches(@"\b\d+ loaded", line);
        Assert.Contains("with another shape", line);
        // The report lists the first problem keys in state-dict order: a backbone problem would come first.
        Assert.DoesNotContain("backbone.", line);
    }
}
