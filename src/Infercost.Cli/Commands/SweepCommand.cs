using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Plotting;
using Infercost.Cli.Reports;
using Infercost.Cli.Rendering;
using Infercost.Costing;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost sweep</c>: decode speed and output price across batch sizes on one layout.</summary>
internal static class SweepCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: false);
        var cost = new CostInputs();
        var batches = CliOptions.IntList("--batches", "Batch sizes per replica to evaluate, for example \"1,2,4,8,16,32,64,128,256\". " +
                                                      "Default: powers of two up to the largest batch that fits, and that batch.", 1, 1_000_000);
        var plot = PlotOptions.Plot("$/MTok output against batch size");
        var json = CommonOptions.Json();
        var command = new Command("sweep",
            "Sweep the decode batch size on one layout: step time, bound, tokens/s per user, per replica and cluster, and " +
            "$/MTok output for each batch. Batches whose KV cache does not fit are listed as such." +
            "\n\nExample:\n  infercost sweep --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --tp 4" +
            "\n  infercost sweep --model deepseek-r1 --gpu nvidia-h200-sxm --gpus 8 --batches 1,8,64,256");
        subject.AddTo(command);
        serving.AddTo(command);
        command.Options.Add(batches);
        cost.AddTo(command);
        command.Options.Add(plot);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var s = subject.Resolve(parse, context);
            var basis = cost.Basis(parse);
            var config = serving.Config(parse).Validated();
            var layout = config.Parallelism ?? ParallelismPlanner.Choose(s.Model, s.Accelerator, config);
            var setup = new ServingSetup(s.Model, s.Accelerator, layout, config with { Parallelism = layout });
            var contextTokens = config.InputTokens + config.OutputTokens;
            var plan = MemoryPlanner.Plan(setup, contextTokens);
            var sizes = parse.GetValue(batches) is { Length: > 0 } given ? given : DefaultBatches(plan.MaxBatch);
            var rows = sizes.Select(b => Row(setup, b, basis, cost.UtilisationOf(parse), cost.FacilityPue(parse))).ToList();
            var report = new SweepReport(s.Model.Id, s.Accelerator.Id, config.TotalDevices, layout,
                config.TotalDevices / setup.DevicesPerReplica, contextTokens, plan.MaxBatch, basis, rows);
            var plotPath = parse.GetValue(plot) is { } file ? PlotWriter.Write(Charts.BatchSweep(report), file) : null;
            if (parse.GetValue(json))
            {
                context.WriteJson(report);
            }
            else
            {
                Render(context.Console, report, setup);
                if (plotPath is not null) context.Console.WriteLine("Plot written to " + plotPath);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>1, 2, 4... up to <paramref name="maxBatch"/>, and <paramref name="maxBatch"/> itself when it is not a power of two.</summary>
    public static int[] DefaultBatches(int maxBatch)
    {
        var sizes = new List<int>();
        for (long b = 1; b <= maxBatch; b *= 2) sizes.Add((int)b);
        if (maxBatch >= 1 && sizes[^1] != maxBatch) sizes.Add(maxBatch);
        return sizes.Count == 0 ? [1] : [.. sizes];
    }

    private static SweepRow Row(ServingSetup setup, int batch, CostBasis basis, double utilisation, double pue)
    {
        try
        {
            var estimate = ServingEstimator.Estimate(setup, batch);
            var cost = CostModel.Estimate(estimate, setup.Accelerator, basis, utilisation, pue);
            return new SweepRow(batch, true, estimate.Decode, estimate.ClusterDecodeTokensPerSecond, cost.OutputPerMillion);
        }
        catch (ModelDoesNotFitException)
        {
            return new SweepRow(batch, false, null, null, null);
        }
    }

    private static void Render(IAnsiConsole console, SweepReport r, ServingSetup setup)
    {
        var table = KeyValueTable.Grid(
            $"Decode sweep: {r.ModelId} on {setup.Layout}, {r.Replicas} replica(s), {Number(r.ContextTokens)} tokens of context, max batch {Number(r.MaxBatch)}",
            "Batch", "Step time", "Bound", "tok/s per user", "tok/s per replica", "Cluster output tok/s", "$/MTok output");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        table.Columns[0].RightAligned();
        table.Columns[2].LeftAligned();
        foreach (var row in r.Rows)
        {
            if (row is { Fits: true, Decode: { } d, ClusterOutputTokensPerSecond: { } cluster, OutputPerMillion: { } price })
            {
                table.AddTextRow(Number(row.Batch), Time(d.StepTime), d.Bound.ToString().ToLowerInvariant(),
                    Number(d.TokensPerSecondPerUser.Value), Number(d.TokensPerSecond.Value), Number(cluster.Value), Money(price.Value));
            }
            else
            {
                table.AddTextRow(Number(row.Batch), "does not fit", "", "", "", "", "");
            }
        }

        console.Write(table);
        console.WriteLine("Basis: " + CostTables.Describe(r.Basis, setup.Accelerator) + ".");
    }
}
