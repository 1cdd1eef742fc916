using System.CommandLine;
using Infercost.Calibration;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost calibrate deployment</c>: fit an engine profile to one deployment's own load tests.</summary>
internal static class CalibrateDeploymentCommand
{
    /// <summary>Builds the subcommand.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: false, batch: false);
        var from = new Option<string>("--from")
        {
            Description = "One or more 'infercost measure --out' JSON files from the deployment (comma-separated): their load levels are the data the profile is fitted to.",
            HelpName = "FILE.json[,FILE.json]",
            Required = true,
        };
        var profileOut = new Option<string?>("--profile-out")
        {
            Description = "Write the fitted engine profile here; give it to cost, simulate, sweep, frontier, plan, speculate, compare or emulate with --engine-profile FILE.",
            HelpName = "FILE.json",
        };
        var json = CommonOptions.Json();
        var command = new Command("deployment",
            "Fit an engine profile to your own deployment: the host time per step and the share of the kernel curves' streaming bandwidth " +
            "that make the step model's mean time per output token match your measured levels, at each level's decode batch (Little's law on " +
            "the measured rate and decode time). Reports the error with the built-in profile, in-sample and with each level held out." +
            "\n\nExample:\n  infercost measure --endpoint http://127.0.0.1:8000 --model llama-3.1-8b --sweep concurrency:1,4,16,64 --requests 64 --out examples/measure-llama-3.1-8b.json" +
            "\n  infercost calibrate deployment --from examples/measure-llama-3.1-8b.json --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --engine vllm --profile-out examples/engine-profile-llama-3.1-8b.json" +
            "\n  infercost cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --engine-profile examples/engine-profile-llama-3.1-8b.json");
        subject.AddTo(command);
        serving.AddTo(command);
        command.Options.Add(from);
        command.Options.Add(profileOut);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            if (parse.GetValue(profileOut) is { } target) context.CheckWritable(target, "--profile-out");
            var request = serving.Fill(subject.Fill(new ServingRequest(), parse, context), parse);
            request.Validate();
            var s = subject.Resolve(parse, context);
            var config = request.ToConfig();
            var layout = config.Parallelism ?? ParallelismPlanner.Choose(s.Model, s.Accelerator, config);
            var setup = new ServingSetup(s.Model, s.Accelerator, layout, config);
            var replicas = Math.Max(1, config.TotalDevices / setup.DevicesPerReplica);

            var files = parse.GetValue(from)!.Split(',', StringSplitOptions.TrimEntries);
            if (files.Any(f => f.Length == 0)) throw new InvalidInputException("from", $"--from has an empty item: '{parse.GetValue(from)}'.");
            var measured = files.SelectMany(f => MeasuredLevel.ReadReport(context.ReadText(f, "--from"), f, "--from")).ToList();
            var usable = measured.Select(m => DeploymentLevel.Of(m, replicas)).OfType<DeploymentLevel>().ToList();
            var fit = DeploymentCalibration.Fit(s.Model, s.Accelerator, layout, config, replicas, usable, field: "--from");
            var engine = request.ResolveEngine();
            var profile = new DeploymentProfile(DeploymentProfile.FormatName, engine.Id, fit.StepOverheadMs, fit.Mbu, s.Model.Id, s.Accelerator.Id,
                config.TotalDevices, layout.ToString(), usable.Count, string.Join(", ", files.Select(Path.GetFileName)))
            {
                HeldOut = fit.HeldOut,
            };
            if (parse.GetValue(profileOut) is { } path)
            {
                context.WriteText(path, System.Text.Json.JsonSerializer.Serialize(profile, Serialization.InfercostJson.Options), "--profile-out");
            }

            var skipped = measured.Count - usable.Count;
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(new DeploymentCalibrationReport(profile, fit, skipped));
                return ExitCodes.Ok;
            }

            var console = context.Console;
            var values = KeyValueTable.Grid($"Engine profile for {setup.Layout}, {engine.Name}", "value", "fitted", "built-in");
            values.AddTextRow("host time per step", Time(Quantities.Seconds.FromMilliseconds(fit.StepOverheadMs)), Time(Quantities.Seconds.FromMilliseconds(fit.DefaultStepOverheadMs)));
            values.AddTextRow("MBU (share of the kernel curves' bandwidth)", Number(fit.Mbu), Number(fit.DefaultMbu));
            console.Write(values);
            var levels = KeyValueTable.Grid("Mean time per output token by level", "level", "decode batch", "measured", "built-in", "fitted", "held out");
            foreach (var l in fit.Levels)
            {
                levels.AddTextRow(l.Level.Level, Number(l.Level.DecodeBatch), Ms(l.Measured), Ms(l.Default), Ms(l.Fitted), l.HeldOut is { } h ? Ms(h) : "-");
            }

            console.Write(levels);
            var errors = KeyValueTable.Grid("Error on mean TPOT", "split", "median |error|", "P90 |error|");
            foreach (var e in new[] { fit.Default, fit.InSample, fit.HeldOut }.OfType<DeploymentFitError>())
            {
                errors.AddTextRow(e.Split, ValidateCommand.Pct(e.MedianAbsPctError), ValidateCommand.Pct(e.P90AbsPctError));
            }

            console.Write(errors);
            if (skipped > 0) console.WriteLine($"• {Number(skipped)} level(s) skipped: nothing succeeded, or no time per output token to fit.");
            if (fit.HeldOut is null) console.WriteLine("• Fewer than three levels: no level could be held out; measure more levels to see how the fit transfers.");
            if (parse.GetValue(profileOut) is { } written) console.WriteLine($"• Profile written to {written}; use it with --engine-profile {written}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Ms(double seconds) => Time(Quantities.Seconds.FromSeconds(seconds));
}

/// <summary>The JSON shape of <c>calibrate deployment</c>.</summary>
/// <param name="Profile">The fitted profile (what <c>--profile-out</c> writes).</param>
/// <param name="Fit">Each level's fit and the errors.</param>
/// <param name="SkippedLevels">Levels that could not be fitted.</param>
internal sealed record DeploymentCalibrationReport(DeploymentProfile Profile, DeploymentFit Fit, int SkippedLevels);
