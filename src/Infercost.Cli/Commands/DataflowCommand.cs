using System.CommandLine;
using System.Globalization;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Dataflow;
using Infercost.Quantities;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary>A GPU cluster's decode figures beside a dataflow estimate.</summary>
/// <param name="AcceleratorId">The GPU.</param>
/// <param name="Gpus">GPUs in one replica.</param>
/// <param name="Batch">Decode batch per replica.</param>
/// <param name="TokensPerSecondPerUser">Per-user decode speed.</param>
/// <param name="TokensPerSecond">Replica decode throughput.</param>
/// <param name="JoulesPerToken">GPUs × TDP ÷ throughput (board power only, as for the dataflow machine).</param>
/// <param name="SpeedRatio">Dataflow per-user speed ÷ GPU per-user speed.</param>
/// <param name="EnergyRatio">Dataflow J/token ÷ GPU J/token.</param>
internal sealed record GpuComparison(string AcceleratorId, int Gpus, int Batch, TokensPerSecond TokensPerSecondPerUser, TokensPerSecond TokensPerSecond,
    double? JoulesPerToken, double SpeedRatio, double? EnergyRatio);

/// <summary>What <c>infercost dataflow --json</c> prints.</summary>
/// <param name="Estimate">The dataflow estimate.</param>
/// <param name="Gpu">The GPU comparison, when asked for.</param>
internal sealed record DataflowReport(DataflowEstimate Estimate, GpuComparison? Gpu);

/// <summary><c>infercost dataflow</c>: decode on a pipelined SRAM machine (Groq LPU, Cerebras WSE-3), optionally beside a GPU.</summary>
internal static class DataflowCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "Model id.", HelpName = "ID", Required = true };
        var gpu = new Option<string>("--gpu") { Description = "The SRAM machine's catalog id (groq-lpu-v1, cerebras-wse-3).", HelpName = "ID", Required = true };
        var catalog = new CatalogInputs();
        var batch = CliOptions.Int("--batch", "Sequences per micro-batch (every pipeline stage holds one).", 1, 100_000, 1);
        var input = CliOptions.Int("--input", "Prompt tokens per request.", 0, 10_000_000, 1000);
        var output = CliOptions.Int("--output", "Output tokens per request (decode context = input + output ÷ 2).", 1, 10_000_000, 1000);
        var precision = CliOptions.Precision("--weights", "Weight precision in SRAM. Default: fp16.");
        var usable = CliOptions.Double("--sram-usable", "Share of each chip's SRAM for weights and KV (assumption).", "F", CliOptions.InRange(0.01, 1), 0.9);
        var link = CliOptions.OptionalDouble("--link-gbps", "Chip-to-chip bandwidth per direction, GB/s. Default: the catalog's link.", "GB/S", CliOptions.InRange(1e-3, 1e6));
        var hop = CliOptions.Double("--hop-latency-us", "Latency of one chip-to-chip hop, µs (assumption: about 1 µs for Groq's scheduled network).", "US", CliOptions.InRange(0, 1e6), 1);
        var peak = CliOptions.OptionalDouble("--peak-tflops", "Dense peak per chip at the weight precision. Default: the catalog's (WSE-3 has none).", "TFLOPS", CliOptions.InRange(1e-3, 1e7));
        var chips = CliOptions.OptionalInt("--chips", "Chips available. Default: as many as the weights and KV need.", 1, DataflowModel.MaxChips);
        var stream = CliOptions.OptionalDouble("--stream-gbps", "Stream weights that do not fit --chips from off-chip memory at this bandwidth (Cerebras MemoryX), GB/s.", "GB/S", CliOptions.InRange(1e-3, 1e7));
        var compareGpu = new Option<string?>("--compare-gpu") { Description = "A GPU to set beside it (the engine's calibrated GPU model).", HelpName = "ID" };
        var compareGpus = CliOptions.Int("--compare-gpus", "GPUs in the compared replica.", 1, 1_000_000, 8);
        var compareBatch = CliOptions.OptionalInt("--compare-batch", "Decode batch of the compared replica. Default: the sequences the pipeline holds in flight (the same users at once), or the most that fit.", 1, 1_000_000);
        var json = CommonOptions.Json();
        var command = new Command("dataflow",
            "Decode on an SRAM-only dataflow machine (Groq LPU, Cerebras WSE-3) with its own physics: chips = weights and KV ÷ " +
            "usable SRAM, a pipeline of min(chips, layers) stages, stage = max(SRAM time, compute time) + collectives + one " +
            "hop; token latency = stages × stage; throughput bounded by the slowest stage. No GPU-fitted constant applies. " +
            "--compare-gpu sets a GPU replica beside it (per-user speed and J/token)." +
            "\n\nExample:\n  infercost dataflow --model llama-3.3-70b --gpu groq-lpu-v1 --compare-gpu nvidia-h100-sxm" +
            "\n  infercost dataflow --model llama-3.3-70b --gpu cerebras-wse-3 --peak-tflops 62500 --chips 1 --stream-gbps 150");
        catalog.AddTo(command);
        foreach (var option in new Option[] { model, gpu, batch, input, output, precision, usable, link, hop, peak, chips, stream, compareGpu, compareGpus, compareBatch, json })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var cat = catalog.Load(parse, context);
            var m = cat.GetModel(parse.GetValue(model)!);
            var a = cat.GetAccelerator(parse.GetValue(gpu)!);
            var defaults = DataflowParameters.For(a);
            var parameters = defaults with
            {
                WeightPrecision = parse.GetValue(precision) ?? defaults.WeightPrecision,
                SramUsableFraction = parse.GetValue(usable),
                LinkBandwidth = parse.GetValue(link) is { } l ? BytesPerSecond.FromGigabytesPerSecond(l) : defaults.LinkBandwidth,
                HopLatency = Seconds.FromMicroseconds(parse.GetValue(hop)),
                Peak = parse.GetValue(peak) is { } pk ? FlopsPerSecond.FromTeraflops(pk) : null,
                StreamBandwidth = parse.GetValue(stream) is { } sg ? BytesPerSecond.FromGigabytesPerSecond(sg) : null,
            };
            var context2 = parse.GetValue(input) + (parse.GetValue(output) / 2.0);
            var estimate = DataflowModel.Estimate(m, a, parameters, parse.GetValue(batch), context2, parse.GetValue(chips));

            GpuComparison? comparison = null;
            if (parse.GetValue(compareGpu) is { } gid)
            {
                var g = cat.GetAccelerator(gid);
                var config = new ServingConfig
                {
                    TotalDevices = parse.GetValue(compareGpus),
                    InputTokens = Math.Max(1, parse.GetValue(input)),
                    OutputTokens = parse.GetValue(output),
                    Batch = parse.GetValue(compareBatch),
                };
                var serving = ServingEstimator.Estimate(m, g, config);

                // By default the GPU serves as many users at once as the pipeline holds (when that many fit).
                if (config.Batch is null && estimate.SequencesInFlight < serving.Decode.Batch)
                    serving = ServingEstimator.Estimate(m, g, config with { Batch = estimate.SequencesInFlight });
                var d = serving.Decode;
                var perReplica = d.TokensPerSecond;
                double? joules = g.Tdp is { } tdp ? Watts.JoulesPerToken(tdp * serving.Parallelism.DevicesPerReplica, perReplica) : null;
                comparison = new GpuComparison(g.Id, serving.Parallelism.DevicesPerReplica, d.Batch, d.TokensPerSecondPerUser, perReplica, joules,
                    estimate.TokensPerSecondPerUser / d.TokensPerSecondPerUser,
                    estimate.JoulesPerToken is { } ej && joules is { } gj ? ej / gj : null);
            }

            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(new DataflowReport(estimate, comparison));
                return ExitCodes.Ok;
            }

            Render(context.Console, estimate, comparison);
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
            console.Write(KeyValueTable.Create($"Beside {g.Gpus} × {g.AcceleratorId} at batch {Number(g.Batch)} (calibrated GPU model)",
            [
                ("Per user", $"{Rate(g.TokensPerSecondPerUser)}: the dataflow bound is {Factor(g.SpeedRatio)} that (a ceiling against a calibrated estimate)"),
                ("Replica throughput", Rate(g.TokensPerSecond)),
                ("Energy per token (board power)", $"{J(g.JoulesPerToken)}: dataflow uses {(g.EnergyRatio is { } r ? Factor(r) : "n/a")} of it"),
            ]));
        }

        foreach (var note in e.Notes) console.WriteLine("Note: " + note);
    }
}
