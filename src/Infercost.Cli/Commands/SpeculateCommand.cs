using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Requests;
using Infercost.Speculation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost speculate</c>: speculative decoding or MTP against plain decoding, batch by batch, with the
/// utilisation each means.</summary>
internal static class SpeculateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var serving = new ServingInputs(workload: true, batch: false) { Context = context };
        var speculation = new SpeculationInputs();
        var batches = CliOptions.IntList("--batches", "Batch sizes per replica. Default: powers of two up to the largest that fits.", 1, SpeculativeDecoding.MaxBatch);
        var json = CommonOptions.Json();
        var command = new Command("speculate",
            "Speculative decoding and multi-token prediction: per batch, the verify step (k + 1 tokens per sequence through " +
            "the model) plus drafting, the expected tokens per step 1 + Σ Π a_j, tokens/s per user and per replica against " +
            "plain decoding, and the utilisation (useful FLOPs ÷ peak) each means. The gain shrinks as the batch grows and " +
            "the verify step reaches the compute roof." +
            "\n\nExample:\n  infercost speculate --model deepseek-v3 --gpu nvidia-h100-sxm --gpus 16 --spec-acceptance 0.85" +
            "\n  infercost speculate --model llama-3.3-70b --gpu nvidia-h100-sxm --gpus 4 --spec-method draft --draft-model llama-3.1-8b --spec-length 4 --spec-acceptance 0.8,0.75,0.7");
        subject.AddTo(command);
        serving.AddTo(command);
        speculation.AddTo(command);
        foreach (var option in new Option[] { batches, json }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            var request = speculation.Fill(serving.Fill(subject.Fill(new SpeculateRequest(), parse, context), parse), parse) with
            {
                Batches = parse.GetValue(batches) is { Length: > 0 } b ? b : null,
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

    private static string Pct(double f) => (f * 100).ToString("N0", CultureInfo.InvariantCulture) + "%";

    private static void Render(IAnsiConsole console, SpeculationReport r)
    {
        var s = r.Speculation;
        var rates = string.Join(", ", Enumerable.Range(1, s.Length).Select(i => s.AcceptanceAt(i).ToString("0.###", CultureInfo.InvariantCulture)));
        var source = s.Method switch
        {
            SpeculationMethod.Mtp => $"{s.MtpLayers} MTP block(s) per depth",
            SpeculationMethod.Medusa => $"{s.Length} Medusa heads",
            SpeculationMethod.Eagle => "an EAGLE draft layer",
            _ => $"draft model {s.Draft!.Id}",
        } + (s.Tree is { } tree ? $", tree {string.Join(",", tree)}: {s.VerifyTokens} nodes verified" : "");
        var table = KeyValueTable.Grid(
            $"Speculative decoding: {r.ModelId} on {r.AcceleratorId} ({r.Parallelism}), k = {s.Length} ({source}), acceptance {rates}: " +
            $"{s.ExpectedTokensPerStep.ToString("0.###", CultureInfo.InvariantCulture)} tokens per step; context {Number(r.ContextTokens)}",
            "Batch", "Plain step", "Verify + draft", "Verify bound", "tok/s/user plain → spec", "tok/s replica plain → spec", "spec P10–P90", "Speed-up",
            "Compute busy plain → spec", "MFU plain → spec", "HW FLOPs util", "HBM util plain");
        foreach (var row in r.Rows)
        {
            if (row.Step is not { } st)
            {
                table.AddTextRow(Number(row.Batch), "does not fit", "", "", "", "", "", "", "", "", "", "");
                continue;
            }

            table.AddTextRow(Number(row.Batch), Time(st.Baseline.StepTime), $"{Time(st.Verify.Total)} + {Time(st.DraftTime)}",
                st.VerifyBound.ToString().ToLowerInvariant(),
                $"{Number(st.Baseline.TokensPerSecondPerUser.Value)} → {Number(st.TokensPerSecondPerUser.Value)}",
                $"{Number(st.Baseline.TokensPerSecond.Value)} → {Number(st.TokensPerSecond.Value)}",
                $"{Number(row.TokensPerSecond!.P10)}–{Number(row.TokensPerSecond.P90)}",
                Factor(st.SpeedUp), $"{Pct(st.BaselineComputeBusy)} → {Pct(st.ComputeBusy)}", $"{Pct(st.BaselineMfu)} → {Pct(st.Mfu)}", Pct(st.HardwareFlopsUtilisation), Pct(st.BaselineBandwidthUtilisation));
        }

        table.Caption(Markup.Escape(
            "Compute busy = compute time at the calibrated MFU ÷ step time (the share of the step the matrix units bind); " +
            "MFU = FLOPs of the tokens kept ÷ (step × dense peak); HW FLOPs util counts rejected drafts and draft passes too; " +
            "HBM util = bytes moved ÷ (step × peak bandwidth). Draft KV (" + Bytes(r.Rows.FirstOrDefault(x => x.Step is not null)?.Step?.DraftKvBytesPerToken ?? Quantities.Bytes.Zero) +
            " per token) and its weights are in the memory plan: the largest batch is the one that fits beside them."));
        console.Write(table);
        if (BandLines.Extrapolating(r.Rows.Where(x => x.Fits).Select(x => (Number(x.Batch), x.Extrapolating)), "batch") is { } line) console.WriteLine(line);
        if (s.Method == SpeculationMethod.Mtp)
        {
            console.WriteLine($"MTP modules are modelled as {s.MtpLayers} block(s) of {r.ModelId}'s own shape per depth, sharing its output head; " +
                              "only models trained with them (DeepSeek-V3/R1: one module) have them.");
        }
    }
}
