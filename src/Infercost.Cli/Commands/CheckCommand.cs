using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Requests;
using Infercost.Cli.Rendering;
using Infercost.Models;
using Infercost.Physics;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost check</c>: is a published throughput or price physically possible on the hardware named?</summary>
internal static class CheckCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var gpus = CliOptions.RequiredInt(CheckRequest.GpusField, "Devices the claimed figure is for.");
        var prefill = CliOptions.OptionalDouble(CheckRequest.PrefillTpsField, "Claimed prompt (input) tokens per second for all the devices.", "TOK/S");
        var decode = CliOptions.OptionalDouble(CheckRequest.DecodeTpsField, "Claimed generated (output) tokens per second for all the devices.", "TOK/S");
        var inputPrice = CliOptions.OptionalDouble(CheckRequest.InputPriceField, "Claimed cost in dollars per million input tokens.", "$/MTOK");
        var outputPrice = CliOptions.OptionalDouble(CheckRequest.OutputPriceField, "Claimed cost in dollars per million output tokens.", "$/MTOK");
        var batch = CliOptions.OptionalInt(CheckRequest.BatchField, "For decode claims: sequences advancing together across the whole cluster (all --gpus, not per replica or per GPU); enables the bandwidth ceiling.");
        var gpuPrice = CliOptions.OptionalDouble(CheckRequest.GpuPriceField, "For price claims: dollars per GPU-hour. Default: the catalog's rental price.", "$/GPU-h");
        var activeParams = CliOptions.OptionalDouble(CheckRequest.ActiveParamsField, "Parameters each token multiplies through (2 FLOPs each), e.g. 37e9. Default: the model's computed active parameters without the input embedding.", "X");
        var precision = CliOptions.Precision("--precision", "Matrix precision whose dense peak is the ceiling. Default: fp8 where the device has it, else bf16.");
        var weights = CliOptions.StoredPrecision("--weights", "Weight precision for the bytes a decode step reads. Default: the model's published precision.");
        var engine = ServingInputs.EngineOption();
        var moeKernel = ServingInputs.MoeKernelOption();
        var json = CommonOptions.Json();
        var command = new Command("check",
            "Check a claimed throughput or price against the compute and bandwidth rooflines at 100% efficiency. " +
            "Give exactly one of --prefill-tps, --decode-tps, --input-price, --output-price. The verdict is the answer: " +
            "exit 0 whether the claim is possible or IMPOSSIBLE." +
            "\n\nExample:\n  infercost check --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 8 --prefill-tps 1440000 --active-params 37e9 --precision fp8" +
            "\n  infercost check --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 8 --decode-tps 20000 --batch 64");
        subject.AddTo(command);
        foreach (var option in new Option[] { gpus, prefill, decode, inputPrice, outputPrice, batch, gpuPrice, activeParams, precision, weights, engine, moeKernel, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var request = subject.Fill(new CheckRequest(), parse, context) with
            {
                Gpus = parse.GetValue(gpus),
                PrefillTps = parse.GetValue(prefill),
                DecodeTps = parse.GetValue(decode),
                InputPrice = parse.GetValue(inputPrice),
                OutputPrice = parse.GetValue(outputPrice),
                Batch = parse.GetValue(batch),
                GpuPrice = parse.GetValue(gpuPrice),
                ActiveParams = parse.GetValue(activeParams),
                Precision = parse.GetValue(precision),
                Weights = parse.GetValue(weights),
                Fp4Format = CliOptions.Fp4FormatOf(parse, weights),
                Engine = parse.GetValue(engine),
                MoeKernel = parse.GetValue(moeKernel),
            };
            var (catalog, configSource) = subject.Sources(parse, context);
            var s = request.Resolve(catalog, configSource);
            var report = request.Answer(s);
            if (CommonOptions.IsJson(parse, json))
            {
                context.WriteJson(report);
            }
            else
            {
                Render(context.Console, report, s.Model);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, CheckReport r, ModelArchitecture model)
    {
        var c = r.Claim;
        var v = r.Verdict;
        var peak = c.Accelerator.Peaks.For(c.Precision)!.Value;
        var stated = c.Kind switch
        {
            ClaimKind.PrefillTokensPerSecond => $"prefill {Number(c.Value)} tok/s",
            ClaimKind.DecodeTokensPerSecond => $"decode {Number(c.Value)} tok/s" + (c.Batch is { } b ? $" at batch {Number(b)} (whole cluster)" : ""),
            ClaimKind.InputPricePerMillion => $"input at {Money(c.Value)}/MTok",
            _ => $"output at {Money(c.Value)}/MTok" + (c.Batch is { } b2 ? $" at batch {Number(b2)} (whole cluster)" : ""),
        };
        console.Write(KeyValueTable.Create("Claim check",
        [
            ("Claim", $"{stated} on {c.Devices} × {c.Accelerator.Id} ({model.Id})"),
            ("Active parameters", Parameters(c.ActiveParameters) + " (2 FLOPs each per token)"),
            ("Precision", $"{c.Precision.Name()} ({Flops(peak)} dense peak per device)"),
            ("Cluster cost", c.ClusterCost is { } cost ? Money(cost) : null),
            ("Claimed rate", Rate(v.ClaimedRate)),
            ("Compute ceiling", Rate(v.ComputeCeiling) + " (100% of peak)"),
            ("Bandwidth ceiling", v.BandwidthCeiling is { } bw ? Rate(bw) + $" (weights read once per step at full bandwidth of all {c.Devices} devices, {Number(c.Batch ?? 0)} sequences in the cluster)" : "not checked (decode claims with --batch only)"),
            ("Weight bytes per step", c.WeightBytesPerStep is { } wb ? Bytes(wb) : null),
            ("Required per device", Flops(v.RequiredFlopsPerSecondPerDevice)),
            ("Factor over compute ceiling", Factor(v.FactorOverCompute)),
            ("Factor over bandwidth ceiling", v.FactorOverBandwidth is { } fb ? Factor(fb) : null),
            ($"Factor vs highest peak ({r.HighestPeakPrecision.Name()}, {Flops(r.HighestPeak)})", Factor(r.FactorOverHighestPeak)),
            ("Floor price", v.FloorPrice is { } floor ? Money(floor) + " (at 100% efficiency)" : null),
            ("Verdict", v.Possible ? "possible" : "IMPOSSIBLE"),
        ]));
        console.Write(new Rule(v.Possible ? "[green]POSSIBLE[/]" : "[bold red]IMPOSSIBLE[/]").LeftJustified());
        console.WriteLine(v.Explanation);
        if (r.WeightBytesMethod is { } method) console.WriteLine("Weight bytes per step: " + method);
        if (r.Engine is { } engine)
        {
            console.WriteLine(engine.Explanation);
            if (engine.AtLargestBatchBand is { } b)
                console.WriteLine($"{engine.Software}: at the largest batch, P10-P90 {Number(b.P10)} .. {Number(b.P90)} output tok/s (the estimate's calibrated band).");
            if (Calibration.Extrapolation.Line(engine.Extrapolating) is { } extrapolating) console.WriteLine(extrapolating);
        }
    }
}
