using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NanoDet.Abstractions.Plugins;
using NanoDet.Host.Cli;
using NanoDet.Host.Runtime;
using NanoDet.Host.Training;
using NanoDet.Inference.Errors;
using NanoDet.Training;
using Spectre.Console;

namespace NanoDet.Host.Verbs;

/// <summary>
/// <c>nanodet train [--resume [FILE] | --auto-resume]</c>: trains with the merged configuration (the default profile
/// trains on the built-in synthetic armor data). <c>--resume</c> continues from <c>save_dir/resume_last.safetensors</c>
/// or FILE, with the configuration stored in it (command-line options still win). <c>--auto-resume</c> continues from
/// <c>save_dir/resume_last.safetensors</c> when it exists and starts a new run otherwise: one command for a job that
/// a scheduler restarts (a Kubernetes Job's retries).
/// </summary>
internal sealed class TrainCommand(IConfiguration config, IPluginResolver resolver, ILoggerFactory loggers)
{
    public static Command Build(CommandRunner runner)
    {
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a run: from FILE, or from save_dir/resume_last.safetensors when no FILE is given",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var autoResume = new Option<bool>("--auto-resume")
        {
            Description = "Continue from save_dir/resume_last.safetensors when it exists, else start a new run (for jobs that get restarted)",
        };
        var cmd = new Command("train", "Train a detector (default: built-in synthetic armor data on CPU)");
        cmd.Options.Add(resume);
        cmd.Options.Add(autoResume);
        cmd.Validators.Add(r =>
        {
            if (r.GetResult(resume) is not null && r.GetValue(autoResume))
                r.AddError("train: use either --resume or --auto-resume, not both");
        });
        cmd.SetAction((parse, ct) =>
        {
            bool resuming = parse.GetResult(resume) is not null;
            bool resumeIfPresent = parse.GetValue(autoResume);
            string? explicitPath = parse.GetValue(resume);
            static string LastResume(IConfiguration c) => Path.Combine(NanoDetHostFactory.SaveDir(c), "resume_last.safetensors");
            string? ResumePath(IConfiguration c)
            {
                if (resuming) return explicitPath ?? LastResume(c);
                if (resumeIfPresent && File.Exists(LastResume(c))) return LastResume(c);
                var fromConfig = c["schedule:resume"];
                return string.IsNullOrWhiteSpace(fromConfig) ? null : fromConfig;
            }
            return runner.RunAsync<TrainCommand>(parse, "train", logToFile: true,
                (verb, token) => Task.FromResult(verb.Run(ResumePath, token)),
                embeddedFrom: ResumePath);
        });
        return cmd;
    }

    /// <summary>Trains; <paramref name="resumePathOf"/> names the resume file (if any) given the merged configuration.</summary>
    private int Run(Func<IConfiguration, string?> resumePathOf, CancellationToken cancellation)
    {
        var log = loggers.CreateLogger("NanoDet.Train");
        var resumePath = resumePathOf(config);
        var resume = resumePath is null ? null : ResumeFile.Read(resumePath);
        if (resume is not null)
            log.LogInformation("resuming from {Path}: epoch {Epoch}, batch {Batch}, step {Step}",
                resume.Path, resume.State.Epoch + 1, resume.State.BatchInEpoch, resume.State.GlobalStep);

        using var session = new TrainingSessionBuilder(config, resolver, log).Build(resume);
        log.LogInformation("save_dir: {Dir}", session.SaveDir);
        int stale = session.Checkpoints.RemoveStaleTemporaryFiles();
        if (stale > 0) log.LogInformation("removed {Count} unfinished temporary files of a killed run from {Dir}", stale, session.SaveDir);
        var layout = session.Model.Layout;
        log.LogInformation("model: {Params:N0} parameters ({Inference:N0} used for inference); {Classes} classes, {Points} corner points, strides {Strides}, reg_max {RegMax}",
            session.Model.parameters().Sum(p => p.numel()),
            session.Model.named_parameters().Where(p => !session.Model.IsTrainingOnly(p.name)).Sum(p => p.parameter.numel()),
            layout.NumClasses, layout.NumPoints, string.Join("/", layout.Strides), layout.RegMax);

        var state = resume?.State ?? new TrainingState();
        var started = DateTime.UtcNow;
        var progress = new TrainingReporter(log, session.SaveDir, session.LogInterval, tensorboard: true);
        var outcome = new Trainer(session, progress, log).Run(state, cancellation);
        var saveKey = session.Validation?.SaveKey ?? "mAP";
        TrainingCurves.Save(state.History, saveKey, Path.Combine(session.SaveDir, "curves.png"));
        PrintSummary(session, state, saveKey, DateTime.UtcNow - started);

        switch (outcome.Kind)
        {
            case TrainingOutcomeKind.Completed:
                log.LogInformation("{Message}", outcome.Message);
                return ExitCodes.Success;
            case TrainingOutcomeKind.Interrupted:
                log.LogWarning("{Message}. Continue with: nanodet train --resume {Path}", outcome.Message, outcome.ResumePath);
                return ExitCodes.Interrupted;
            default:
                Console.Error.WriteLine($"error: aborted: {outcome.Message}");
                return ExitCodes.Failure;
        }
    }

    private static void PrintSummary(TrainingSession s, TrainingState state, string saveKey, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("training summary");
        table.AddColumns("item", "value");
        void Row(string k, string v) => table.Row(k, v);
        Row("epochs done", $"{state.Epoch}/{s.Schedule.TotalEpochs}");
        Row("optimizer steps", state.GlobalStep.ToString(CultureInfo.InvariantCulture));
        Row("time (this run)", elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        if (state.History.Count > 0)
        {
            var last = state.History[^1];
            Row("last epoch loss", last.Losses.TryGetValue("loss", out var l) ? l.ToString("F4", CultureInfo.InvariantCulture) : "n/a");
            Row("images/s (last epoch)", last.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture));
            var validated = state.History.LastOrDefault(h => h.Metrics is not null);
            if (validated is not null)
                foreach (var (k, v) in TrainingSummaryMetrics.Select(validated.Metrics!, saveKey))
                    Row($"{k} (epoch {validated.Epoch + 1})", v.ToString("F4", CultureInfo.InvariantCulture));
        }
        if (state.BestEpoch >= 0)
            Row($"best {saveKey}", $"{state.BestMetric.ToString("F4", CultureInfo.InvariantCulture)} at epoch {state.BestEpoch + 1}");
        if (state.NonFiniteTotal > 0) Row("skipped non-finite steps", state.NonFiniteTotal.ToString(CultureInfo.InvariantCulture));
        int undecodable = state.History.Sum(h => h.UndecodableImages) + state.PartialEpochUndecodable;
        if (undecodable > 0) Row("undecodable images left out (all epochs)", undecodable.ToString(CultureInfo.InvariantCulture));
        Row("last weights", s.Checkpoints.LastWeightsPath);
        if (state.BestEpoch >= 0) Row("best weights", s.Checkpoints.BestWeightsPath);
        Row("resume state", s.Checkpoints.ResumePath);
        Row("curves", Path.Combine(s.SaveDir, "curves.png"));
        ConsoleUi.Error.Write(table);
    }
}
