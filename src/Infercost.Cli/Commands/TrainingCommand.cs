using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost training</c>: compute and cost of a pre-training run from its parameters and tokens.</summary>
internal static class TrainingCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var training = new TrainingInputs();
        var catalog = new CatalogInputs();
        var published = CliOptions.OptionalDouble(TrainingRequest.PublishedGpuHoursField, "Accelerator-hours a source reports for the run: prints the MFU they imply.", "H");
        var json = CommonOptions.Json();
        var command = new Command("training",
            "Training compute and cost: FLOPs = 6 × parameters × tokens (Kaplan et al. 2020), accelerator-hours = FLOPs ÷ " +
            "(peak × MFU), cost = hours × $/hour. 'infercost pnl --train-params ...' amortises the same estimate over the " +
            "tokens served." +
            "\n\nExample:\n  infercost training --train-params 405e9 --train-tokens 15.6e12 --train-mfu 0.4 --train-gpu-price 2" +
            "\n  infercost training --train-params 37e9 --train-tokens 14.8e12 --train-precision fp8 --train-gpu-price 2 --published-gpu-hours 2.788e6");
        training.AddTo(command);
        catalog.AddTo(command);
        command.Options.Add(published);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var request = training.Request(parse) with { PublishedGpuHours = parse.GetValue(published) };
            request.Validate();
            var report = request.Answer(catalog.Load(parse, context));
            var (estimate, run, hours, implied) = (report.Estimate, report.Estimate.Run, report.PublishedGpuHours, report.ImpliedMfu);
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            context.Console.Write(KeyValueTable.Create("Training run",
            [
                ("Compute", $"6 × {Count(run.Parameters)} parameters × {Count(run.Tokens)} tokens = {estimate.Flops.Value.ToString("0.00e+00", CultureInfo.InvariantCulture)} FLOP"),
                ("At", $"{Flops(run.Peak)} peak × {Percent(run.Mfu)} MFU"),
                ("Accelerator-hours", Count(estimate.AcceleratorHours)),
                ("Cost", $"{Money(estimate.Cost)} at {Money(run.PricePerAcceleratorHour)}"),
                ("Wall clock", estimate.WallClock is { } w ? $"{(w.Value / 86_400).ToString("N1", CultureInfo.InvariantCulture)} days on {Count(run.Accelerators!.Value)} accelerators" : null),
                ("Published accelerator-hours", hours is { } ph ? $"{Count(ph)}: implies {Percent(implied!.Value)} MFU at 6·N·D" : null),
            ]));
            return ExitCodes.Ok;
        });
        return command;
    }
}
