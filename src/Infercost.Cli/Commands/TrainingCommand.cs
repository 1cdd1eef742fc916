using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Datacenter;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary>What <c>infercost training --json</c> prints.</summary>
/// <param name="Estimate">The run's FLOPs, accelerator-hours and cost.</param>
/// <param name="PublishedGpuHours">The accelerator-hours a source reports, when given.</param>
/// <param name="ImpliedMfu">The MFU those hours imply at 6·N·D.</param>
internal sealed record TrainingReport(TrainingCost Estimate, double? PublishedGpuHours, double? ImpliedMfu);

/// <summary><c>infercost training</c>: compute and cost of a pre-training run from its parameters and tokens.</summary>
internal static class TrainingCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var training = new TrainingInputs();
        var catalog = new CatalogInputs();
        var published = CliOptions.OptionalDouble("--published-gpu-hours", "Accelerator-hours a source reports for the run: prints the MFU they imply.", "H", CliOptions.InRange(1, 1e12));
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
            var run = training.Run(parse, catalog.Load(parse, context));
            var estimate = TrainingCost.Estimate(run);
            var hours = parse.GetValue(published);
            double? implied = hours is { } h ? TrainingCost.ImpliedMfu(run.Parameters, run.Tokens, h, run.Peak) : null;
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(new TrainingReport(estimate, hours, implied));
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
