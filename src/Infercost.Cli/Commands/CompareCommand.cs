using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Costing;
using Infercost.Requests;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost compare</c>: one model on several accelerators, regime by regime, with the verdict on a
/// claimed ratio and the per-dollar trend along the accelerators given.</summary>
internal static class CompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: true) { Context = context };
        var versus = new Option<string[]?>("--versus")
        {
            Description = $"Accelerator ids to compare with the baseline --gpu, comma-separated, in order (1 to {AcceleratorComparison.MaxAccelerators - 1}); " +
                          "the per-dollar trend reads them as generations.",
            HelpName = "ID,ID,...",
            Required = true,
            CustomParser = ParseIds,
        };
        var claim = CliOptions.OptionalDouble(CompareRequest.ClaimRatioField,
            "A claimed ratio of the first --versus accelerator to the baseline (4 for \"an H100 is worth four A100s\"): the verdict names the regime in which it holds, or says none does.",
            "X");
        var json = CommonOptions.Json();
        var command = new Command("compare",
            "Compare one model on several accelerators with the same flags and device count: per device, decode at batch 1 " +
            "(bandwidth-bound), decode at the largest batch that fits, prefill (compute-bound) and output tokens per rented dollar, " +
            "each as a ratio to the baseline beside the spec-sheet ratios (HBM bandwidth, dense peak, memory, rental price). " +
            "A claimed ratio is checked regime by regime, and the accelerators in order are read as generations: does each " +
            "give more output tokens per dollar, and is it throughput or price that decides." +
            "\n\nExample:\n  infercost compare --model llama-3.3-70b --gpu nvidia-a100-sxm-80gb --versus nvidia-h100-sxm --gpus 8 --claim-ratio 4" +
            "\n  infercost compare --model llama-3.3-70b --gpu nvidia-a100-sxm-80gb --versus nvidia-h100-sxm,nvidia-h200-sxm,nvidia-b200 --gpus 8");
        subject.AddTo(command);
        serving.AddTo(command);
        foreach (var option in new Option[] { versus, claim, json }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            var request = serving.Fill(subject.Fill(new CompareRequest(), parse, context), parse) with
            {
                Versus = parse.GetValue(versus),
                ClaimRatio = parse.GetValue(claim),
            };
            var (catalog, configSource) = subject.Sources(parse, context);
            var report = request.Answer(request.Resolve(catalog, configSource));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            Render(context.Console, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[]? ParseIds(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return null;
        var text = r.Tokens[^1].Value;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
        {
            r.AddError($"--versus has an empty item; give accelerator ids separated by commas; was '{text}'.");
            return null;
        }

        return parts;
    }

    private static string Ratio(double r) => r.ToString(r >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + "×";

    private static void Render(IAnsiConsole console, AcceleratorComparisonReport r)
    {
        var figures = KeyValueTable.Grid($"{r.ModelId} on {Number(r.Devices)} devices of each; tok/s per device",
            "GPU", "Layout", "Weights", "b=1", "Full", "Batch", "Prefill", "$/h", "$/MTok");
        foreach (var f in r.Figures)
        {
            figures.AddTextRow(f.AcceleratorId, f.Layout.ToString(), f.WeightPrecision.Name(),
                Number(f.DecodeBatchOnePerDevice.Value), Number(f.DecodeFullBatchPerDevice.Value), Number(f.Batch), Number(f.PrefillPerDevice.Value),
                f.RentalPerDevice is { } p ? Money(p.Value) : "none", f.OutputPerMillion is { } o ? Money(o.Value) : "");
        }

        foreach (var n in r.NotFitting) figures.AddTextRow(n.AcceleratorId, "no fit", "", "", "", "", "", "", "");
        figures.Caption(Markup.Escape("b=1: decode at one stream per replica; Full: decode at the batch shown (per replica); " +
            "Prefill: prompt tokens/s; $/h: catalog rental per device; $/MTok: output, at the full batch."));
        console.Write(figures);
        foreach (var n in r.NotFitting) console.WriteLine($"{n.AcceleratorId}: {n.Reason}");

        foreach (var pair in r.Pairs)
        {
            var table = KeyValueTable.Grid($"{pair.AcceleratorId} ÷ {r.BaselineId}", "Regime", "Ratio", "What it assumes");
            foreach (var ratio in pair.Ratios) table.AddTextRow(ratio.Regime, Ratio(ratio.Ratio), ratio.Meaning);
            console.Write(table);
        }

        if (r.Claim is { } claim)
        {
            console.WriteLine($"Claim {claim.AcceleratorId} ≈ {Ratio(claim.Claimed)} {r.BaselineId}: {(claim.Holds ? "holds" : "does not hold")} (within ±{(AcceleratorComparison.ClaimTolerance - 1) * 100:0}%). {claim.Explanation}");
        }

        foreach (var step in r.Generations) console.WriteLine(step.Explanation);
    }
}
