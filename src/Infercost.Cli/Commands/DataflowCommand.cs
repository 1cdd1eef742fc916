using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Dataflow;
using Infercost.Requests;
using Infercost.Quantities;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost dataflow</c>: decode on a pipelined SRAM machine (Groq LPU, Cerebras WSE-3), optionally beside a GPU.</summary>
internal static class DataflowCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "Model id.", HelpName = "ID", Required = true };
        var gpu = new Option<string>("--gpu") { Description = "The SRAM machine's catalog id (groq-lpu-v1, cerebras-wse-3).", HelpName = "ID", Required = true };
        var catalog = new CatalogInputs();
        var batch = CliOptions.Int(DataflowRequest.BatchField, "Sequences per micro-batch (every pipeline stage holds one).", 1);
        var input = CliOptions.Int(DataflowRequest.InputField, "Prompt tokens per request.", DataflowRequest.DefaultTokens);
        var output = CliOptions.Int(DataflowRequest.OutputField, "Output tokens per request (decode context = input + output ÷ 2).", DataflowRequest.DefaultTokens);
        var precision = CliOptions.Precision("--weights", "Weight precision in SRAM. Default: fp16.");
        var usable = CliOptions.Double(DataflowRequest.SramUsableField, "Share of each chip's SRAM for weights and KV (assumption).", "F", 0.9);
        var link = CliOptions.OptionalDouble(DataflowRequest.LinkGbpsField, "Chip-to-chip bandwidth per direction, GB/s. Default: the catalog's link.", "GB/S");
        var hop = CliOptions.Double(DataflowRequest.HopLatencyUsField, "Latency of one chip-to-chip hop, µs (assumption: about 1 µs for Groq's scheduled network).", "US", 1);
        var peak = CliOptions.OptionalDouble(DataflowRequest.PeakTflopsField, "Dense peak per chip at the weight precision. Default: the catalog's (WSE-3 has none).", "TFLOPS");
        var chips = CliOptions.OptionalInt(DataflowRequest.ChipsField, "Chips available. Default: as many as the weights and KV need.");
        var stream = CliOptions.OptionalDouble(DataflowRequest.StreamGbpsField, "Stream weights that do not fit --chips from off-chip memory at this bandwidth (Cerebras MemoryX), GB/s.", "GB/S");
        var compareGpu = new Option<string?>("--compare-gpu") { Description = "A GPU to set beside it (the engine's GPU model, as cost estimates it, with its P10-P90).", HelpName = "ID" };
        var compareGpus = CliOptions.OptionalInt(DataflowRequest.CompareGpusField, $"GPUs in the compared replica. Default: {DataflowRequest.DefaultCompareGpus}.");
        var compareBatch = CliOptions.OptionalInt(DataflowRequest.CompareBatchField, "Decode batch of the compared replica. Default: the sequences the pipeline holds in flight (the same users at once), or the most that fit.");
        var engine = ServingInputs.EngineOption();
        var moeKernel = ServingInputs.MoeKernelOption();
        var json = CommonOptions.Json();
        var command = new Command("dataflow",
            "Decode on an SRAM-only dataflow machine (Groq LPU, Cerebras WSE-3) with its own physics: chips = weights and KV ÷ " +
            "usable SRAM, a pipeline of min(chips, layers) stages, stage = max(SRAM time, compute time) + collectives + one " +
            "hop; token latency = stages × stage; throughput bounded by the slowest stage. No GPU-fitted constant applies. " +
            "--compare-gpu sets a GPU replica beside it (per-user speed and J/token)." +
            "\n\nExample:\n  infercost dataflow --model llama-3.3-70b --gpu groq-lpu-v1 --compare-gpu nvidia-h100-sxm" +
            "\n  infercost dataflow --model llama-3.3-70b --gpu cerebras-wse-3 --peak-tflops 62500 --chips 1 --stream-gbps 150");
        catalog.AddTo(command);
        foreach (var option in new Option[] { model, gpu, batch, input, output, precision, usable, link, hop, peak, chips, stream, compareGpu, compareGpus, compareBatch, engine, moeKernel, json })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var request = new DataflowRequest
            {
                Model = parse.GetValue(model),
                Gpu = parse.GetValue(gpu),
                Batch = parse.GetValue(batch),
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                Weights = parse.GetValue(precision),
                SramUsable = parse.GetValue(usable),
                LinkGbps = parse.GetValue(link),
                HopLatencyUs = parse.GetValue(hop),
                PeakTflops = parse.GetValue(peak),
                Chips = parse.GetValue(chips),
                StreamGbps = parse.GetValue(stream),
                CompareGpu = parse.GetValue(compareGpu),
                CompareGpus = parse.GetValue(compareGpus),
                CompareBatch = parse.GetValue(compareBatch),
                Engine = parse.GetValue(engine),
                MoeKernel = parse.GetValue(moeKernel),
            };
            request.Validate();
            var report = request.Answer(catalog.Load(parse, context));
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
                return ExitCodes.Ok;
            }

            Render(context.Console, report.Estimate, report.Gpu);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string J(double? j) => j is { } v ? v.ToString(v < 10 ? "0.###" : "N1", CultureInfo.InvariantCulture) + " J" : "n/a";

    private static void Render(IAnsiConsole console, DataflowEstimate e, GpuComparison? g)
    {
        console.Write(KeyValueTable.Create($"{e.ModelId} on {e.AcceleratorId}: SRAM dataflow pipeline",
        [
            ("Chips", $"{Number(e.Chips)} ({Bytes(e.WeightBytes)} weights + {Bytes(e.KvBytes)} KV in flight)"),
            ("Pipeline", $"{Number(e.Stages)} stages × {e.ChipsPerStage.ToString("0.##", CultureInfo.InvariantCulture)} chips; micro-batch {Number(e.MicroBatch)}, {Number(e.SequencesInFlight)} sequences in flight"),
            ("Stage: SRAM / compute", $"{Time(e.SramTime)} / {Time(e.ComputeTime)}"),
            ("Stage: collectives + hop", $"{Time(e.CollectiveTime)} + {Time(e.HopTime)}"),
            ("Weight streaming", e.StreamedBytes.Value > 0 ? $"{Bytes(e.StreamedBytes)} per pass, {Time(e.StreamTime)}" : null),
            ("Stage time (slowest)", $"{Time(e.StageTime)} ({Time(e.SlowestStage)}); bound: {e.Bound}"),
            ("Token latency", $"{Time(e.TokenLatency)} = {Rate(e.TokensPerSecondPerUser)} per user"),
            ("Throughput", Rate(e.TokensPerSecond)),
            ("Power, energy", e.Power is { } p ? $"{Power(p)}; {J(e.JoulesPerToken)} per token" : "no power figure"),
        ]));
        if (g is not null)
        {
            static string Band(Calibration.Banded? b, Func<double, string> format) => b is null ? "" : $"  [P10-P90 {format(b.P10)} .. {format(b.P90)}]";
            console.Write(KeyValueTable.Create($"Beside {g.Gpus} × {g.AcceleratorId} at batch {Number(g.Batch)} ({g.Engine}, the engine's GPU model)",
            [
                ("Per user", $"{Rate(g.TokensPerSecondPerUser)}{Band(g.TokensPerSecondPerUserBand, v => Rate(TokensPerSecond.FromTokensPerSecond(v)))}: " +
                    $"the dataflow bound is {Factor(g.SpeedRatio)} that{Band(g.SpeedRatioBand, Factor)} (a ceiling against an estimate)"),
                ("Replica throughput", Rate(g.TokensPerSecond)),
                ("Energy per token (board power)", $"{J(g.JoulesPerToken)}: dataflow uses {(g.EnergyRatio is { } r ? Factor(r) : "n/a")} of it"),
            ]));
        }

        if (g is not null && Calibration.Extrapolation.Line(g.Extrapolating) is { } extrapolating) console.WriteLine($"{g.AcceleratorId}: {extrapolating}");
        foreach (var note in e.Notes) console.WriteLine("Note: " + note);
    }
}
