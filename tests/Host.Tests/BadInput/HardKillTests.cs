using System.Diagnostics;
using NanoDet.Checkpoints;
using NanoDet.Checkpoints.Safetensors;
using NanoDet.Host.Tests.Training;
using NanoDet.Training;

namespace NanoDet.Host.Tests.BadInput;

/// <summary>
/// Issue 17: <c>kill -9</c> of a real <c>nanodet train</c> child at random moments — after a random step, and
/// the instant a checkpoint's temporary file appears — always leaves readable checkpoints and a resume state
/// that <c>train --resume</c> continues from, until the run completes with every epoch recorded once.
/// </summary>
public class HardKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Epochs = 3;

    private static string[] Args(string root, string saveDir) =>
    [
        "train", "--config", TrainingCli.Config, "--set", $"save_dir={saveDir}",
        "--set", $"data:train:cache_dir={Path.Combine(root, "cache")}", "--set", $"data:val:cache_dir={Path.Combine(root, "cache")}",
        "--set", "data:train:count=16", "--set", "data:val:count=4", "--set", $"schedule:total_epochs={Epochs}",
    ];

    private sealed record Attempt(int ExitCode, bool Killed, string StdErr);

    /// <summary>Starts a child; kills it with SIGKILL after <paramref name="killAfterStep"/> steps (+ a delay) or on the first checkpoint temp file.</summary>
    private static Attempt RunOnce(string root, string saveDir, string[] args, int? killAfterStep, int delayMs, bool killOnCheckpointWrite)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = root };
        psi.ArgumentList.Add(Path.Combine(TestPaths.BinDir, "nanodet.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        Directory.CreateDirectory(saveDir);
        using var p = Process.Start(psi)!;
        int killed = 0;
        void Kill()
        {
            if (Interlocked.Exchange(ref killed, 1) == 0)
                try { p.Kill(); } catch (InvalidOperationException) { /* already gone */ }
        }
        using var watcher = new FileSystemWatcher(saveDir, ".resume_last.safetensors.*") { EnableRaisingEvents = killOnCheckpointWrite };
        watcher.Created += (_, _) => Kill();
        var lines = new List<string>();
        int steps = 0;
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (killAfterStep is { } k && e.Data.Contains("] step ", StringComparison.Ordinal) && Interlocked.Increment(ref steps) == k)
                Task.Delay(delayMs).ContinueWith(_ => Kill());
        };
        p.BeginErrorReadLine();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("nanodet train did not finish in 4 minutes");
        }
        p.WaitForExit();
        lock (lines) return new Attempt(p.ExitCode, killed == 1, string.Join('\n', lines));
    }

    /// <summary>Every checkpoint present must read back completely; returns the resume state (null before the first one).</summary>
    private static TrainingState? AssertReadable(string saveDir, string context)
    {
        foreach (var f in new[] { "model_last.safetensors", "model_best/model_best.safetensors" })
        {
            var path = Path.Combine(saveDir, f);
            if (File.Exists(path)) Assert.True(SafetensorsFile.Read(path).Tensors.Count > 0, $"{f} empty after {context}");
        }
        var resume = Path.Combine(saveDir, "resume_last.safetensors");
        if (!File.Exists(resume)) return null;
        var state = ResumeFile.Read(resume).State;
        Assert.InRange(state.Epoch, 0, Epochs);
        Assert.Equal(state.Epoch, state.History.Count);
        return state;
    }

    [Fact]
    public void Kill_9_at_random_moments_leaves_a_state_that_resumes_to_the_end()
    {
        var root = TestPaths.NewTempDir("kill9");
        var saveDir = Path.Combine(root, "run");
        var rng = new Random(17);
        var log = new List<string>();
        int kills = 0, epochsBefore = 0;
        // four kills: on the first checkpoint write, then after random steps with a random delay
        for (int attempt = 0; attempt < 8 && kills < 4; attempt++)
        {
            bool onWrite = kills == 0;
            int? step = onWrite ? null : rng.Next(1, 3);
            int delay = rng.Next(0, 400);
            var resume = Path.Combine(saveDir, "resume_last.safetensors");
            var args = File.Exists(resume) ? ["train", "--resume", resume] : Args(root, saveDir);
            var a = RunOnce(root, saveDir, args, step, delay, onWrite);
            var state = AssertReadable(saveDir, $"attempt {attempt}");
            log.Add($"attempt {attempt}: {(onWrite ? "kill on checkpoint write" : $"kill after step {step} + {delay} ms")}, exit {a.ExitCode}, " +
                    $"killed {a.Killed}, state epoch {state?.Epoch.ToString() ?? "none"}");
            Assert.True(a.Killed || a.ExitCode == 0, string.Join('\n', log) + "\n" + a.StdErr);
            Assert.DoesNotContain("   at ", a.StdErr);
            if (state is not null)
            {
                Assert.True(state.Epoch >= epochsBefore, $"the state went back: {string.Join('\n', log)}");
                epochsBefore = state.Epoch;
            }
            if (a.Killed) kills++;
            if (state?.Epoch == Epochs) break;
        }
        foreach (var line in log) output.WriteLine(line);
        Assert.True(kills >= 2, string.Join('\n', log));

        // finish the run
        var last = File.Exists(Path.Combine(saveDir, "resume_last.safetensors"))
            ? RunOnce(root, saveDir, ["train", "--resume", Path.Combine(saveDir, "resume_last.safetensors")], null, 0, false)
            : RunOnce(root, saveDir, Args(root, saveDir), null, 0, false);
        Assert.True(last.ExitCode == 0, string.Join('\n', log) + "\n" + last.StdErr);
        var final = AssertReadable(saveDir, "the last run")!;
        Assert.Equal(Epochs, final.Epoch);
        Assert.Equal(Enumerable.Range(0, Epochs), final.History.Select(h => h.Epoch));
        Assert.Empty(Directory.GetFiles(saveDir, ".*.tmp", SearchOption.AllDirectories));
        var results = File.ReadAllText(Path.Combine(saveDir, "model_best", "eval_results.txt"));
        var headers = results.Split('\n').Where(l => l.StartsWith("Epoch:", StringComparison.Ordinal)).ToList();
        Assert.Equal(headers.Distinct().Count(), headers.Count);
    }
}
