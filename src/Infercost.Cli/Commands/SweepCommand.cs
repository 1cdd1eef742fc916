using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Plotting;
using Infercost.Requests;
using Infercost.Cli.Rendering;
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
        var serving = new ServingInputs(workload: true, batch: false) { Context = context };
        var speculation = new SpeculationInputs();
        var cost = new CostInputs();
        var batches = CliOptions.IntList(SweepRequest.BatchesField, "Batch sizes per replica to evaluate, for example \"1,2,4,8,16,32,64,128,256\". " +
                                                      "Default: powers of two up to the largest batch that fits, and that batch.");
        var plot = PlotOptions.Plot("$/MTok output against batch size");
        var json = CommonOptions.Json();
        var command = new Command("sweep",
            "Sweep the decode batch size on one layout: step time, bound, tokens/s per user, per replica and cluster, and " +
            "$/MTok output for each batch. Batches whose KV cache does not fit are listed as such." +
            "\n\nExample:\n  infercost sweep --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 8 --tp 4" +
            "\n  infercost sweep --model deepseek-r1 --gpu nvidia-h200-sxm --gpus 8 --batches 1,8,64,256" +
            "\n  infercost sweep --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --tp 4 --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8");
        subject.AddTo(command);
        serving.AddTo(command);
        speculation.AddTo(command);
        command.Options.Add(batches);
        cost.AddTo(command);
        command.Options.Add(plot);
        command.Options.Add(json);

        command.SetAction(parse =>
        {
            var request = cost.Fill(speculation.Fill(serving.Fill(subject.Fill(new SweepRequest(), parse, context), parse), parse), parse) with { Batches = parse.GetValue(batches) is { Length: > 0 } given ? given : null };
            var (catalog, configSource) = subject.Sources(parse, context);
            var (report, setup) = request.Answer(request.Resolve(catalog, configSource));
            var plotPath = parse.GetValue(plot) is { } file ? PlotWriter.Write(Charts.BatchSweep(report), file) : null;
            if (CommonOptions.IsJson(parse, json))
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

    private static void Render(IAnsiConsole console, SweepReport r, ServingSetup setup)
    {
        var speculating = setup.Config.Speculation is not null;
        var table = KeyValueTable.Grid(
            $"Decode sweep: {r.ModelId} on {setup.Layout}, {r.Replicas} replica(s), {Number(r.ContextTokens)} tokens of context, max batch {Number(r.MaxBatch)}",
            [
                "Batch", "Step time", "Bound", "tok/s per user", "tok/s per replica", "Cluster output tok/s", "P10–P90", "$/MTok output", "P10–P90",
                .. speculating ? (string[])["Speed-up", "Compute busy plain → spec", "MFU plain → spec"] : [],
            ]);
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        table.Columns[0].RightAligned();
        table.Columns[2].LeftAligned();
        foreach (var row in r.Rows)
        {
            if (row is { Fits: true, Decode: { } d, ClusterOutputTokensPerSecond: { } cluster, OutputPerMillion: { } price })
            {
                var b = row.Bands!;
                string[] cells = [Number(row.Batch), Time(d.StepTime), d.Bound.ToString().ToLowerInvariant(),
                    Number(d.TokensPerSecondPerUser.Value), Number(d.TokensPerSecond.Value), Number(cluster.Value),
                    $"{Number(b.ClusterDecodeTokensPerSecond.P10)}–{Number(b.ClusterDecodeTokensPerSecond.P90)}", Money(price.Value),
                    $"{Money(b.OutputPerMillion.P10)}–{Money(b.OutputPerMillion.P90)}"];
                table.AddTextRow(row.Speculation is { } sp
                    ? [.. cells, Factor(sp.SpeedUp), $"{Percent(sp.PlainComputeBusy)} → {Percent(sp.ComputeBusy)}", $"{Percent(sp.PlainMfu)} → {Percent(sp.Mfu)}"]
                    : cells);
            }
            else
            {
                table.AddTextRow([Number(row.Batch), "does not fit", .. Enumerable.Repeat("", speculating ? 10 : 7)]);
            }
        }

        console.Write(table);
        if (BandLines.Extrapolating(r.Rows.Where(x => x.Fits).Select(x => (Number(x.Batch), x.Extrapolating)), "batch") is { } line) console.WriteLine(line);
        if (setup.Config.Speculation is { } spec)
        {
            console.WriteLine($"Speculation ({spec.MethodName}{(spec.Draft is { } draft ? " " + draft.Id : "")}, k = {spec.Length}): {Number(spec.ExpectedTokensPerStep)} tokens per sequence per step; " +
                              "step time is verify + draft; compute busy = compute time at the calibrated MFU ÷ step time; MFU = FLOPs of the tokens kept ÷ (step × dense peak). " +
                              "The draft's weights and KV are in the max batch.");
        }

        console.WriteLine("Basis: " + CostTables.Describe(r.Basis, setup.Accelerator) + ".");
    }
}
