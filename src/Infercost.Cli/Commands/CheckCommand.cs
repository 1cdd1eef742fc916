using System.CommandLine;
using Infercost.Cli.Inputs;
using Infercost.Cli.Reports;
using Infercost.Cli.Rendering;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Physics;
using Infercost.Quantities;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost check</c>: is a published throughput or price physically possible on the hardware named?</summary>
internal static class CheckCommand
{
    private const string WeightBytesMethod =
        "DecodeModel.Step on a single-device view of the model at the claimed batch: every non-expert weight read once " +
        "(input embedding excluded) plus the expected distinct routed experts the batch touches under uniform routing; " +
        "KV-cache reads ignored, so the ceiling is generous.";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var subject = new SubjectInputs();
        var gpus = CliOptions.RequiredInt("--gpus", "Devices the claimed figure is for.", 1, 10_000_000);
        var prefill = CliOptions.OptionalDouble("--prefill-tps", "Claimed prompt (input) tokens per second for all the devices.", "TOK/S", Guard.Positive);
        var decode = CliOptions.OptionalDouble("--decode-tps", "Claimed generated (output) tokens per second for all the devices.", "TOK/S", Guard.Positive);
        var inputPrice = CliOptions.OptionalDouble("--input-price", "Claimed cost in dollars per million input tokens.", "$/MTOK", Guard.Positive);
        var outputPrice = CliOptions.OptionalDouble("--output-price", "Claimed cost in dollars per million output tokens.", "$/MTOK", Guard.Positive);
        var batch = CliOptions.OptionalInt("--batch", "For decode claims: sequences advancing together; enables the bandwidth ceiling.", 1, 10_000_000);
        var gpuPrice = CliOptions.OptionalDouble("--gpu-price", "For price claims: dollars per GPU-hour. Default: the catalog's rental price.", "$/GPU-h", CliOptions.InRange(0, 10_000));
        var activeParams = CliOptions.OptionalDouble("--active-params", "Parameters each token multiplies through (2 FLOPs each), e.g. 37e9. Default: the model's computed active parameters without the input embedding.", "X", Guard.Positive);
        var precision = CliOptions.Precision("--precision", "Matrix precision whose dense peak is the ceiling. Default: fp8 where the device has it, else bf16.");
        var weights = CliOptions.Precision("--weights", "Weight precision for the bytes a decode step reads. Default: the model's published precision.");
        var json = CommonOptions.Json();
        var command = new Command("check",
            "Check a claimed throughput or price against the compute and bandwidth rooflines at 100% efficiency. " +
            "Give exactly one of --prefill-tps, --decode-tps, --input-price, --output-price. The verdict is the answer: " +
            "exit 0 whether the claim is possible or IMPOSSIBLE." +
            "\n\nExample:\n  infercost check --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 8 --prefill-tps 1440000 --active-params 37e9 --precision fp8" +
            "\n  infercost check --model llama-3.1-70b --gpu nvidia-h100-sxm --gpus 8 --decode-tps 20000 --batch 64");
        subject.AddTo(command);
        foreach (var option in new Option[] { gpus, prefill, decode, inputPrice, outputPrice, batch, gpuPrice, activeParams, precision, weights, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = subject.Resolve(parse, context);
            var claims = new (ClaimKind Kind, double? Value)[]
            {
                (ClaimKind.PrefillTokensPerSecond, parse.GetValue(prefill)),
                (ClaimKind.DecodeTokensPerSecond, parse.GetValue(decode)),
                (ClaimKind.InputPricePerMillion, parse.GetValue(inputPrice)),
                (ClaimKind.OutputPricePerMillion, parse.GetValue(outputPrice)),
            }.Where(c => c.Value is not null).ToList();
            if (claims.Count != 1)
            {
                throw new InvalidInputException("claim",
                    $"give exactly one of --prefill-tps, --decode-tps, --input-price, --output-price; was {claims.Count}.");
            }

            var (kind, value) = (claims[0].Kind, claims[0].Value!.Value);
            var devices = parse.GetValue(gpus);
            var accelerator = s.Accelerator;
            var claimPrecision = parse.GetValue(precision) ?? (accelerator.Peaks.Fp8 is not null ? Precision.Fp8 : Precision.Bf16);
            if (accelerator.Peaks.For(claimPrecision) is null)
            {
                throw new InvalidInputException("precision",
                    $"{accelerator.Id} has no published dense peak for {claimPrecision.Name()}; choose another --precision.");
            }

            var isPrice = kind is ClaimKind.InputPricePerMillion or ClaimKind.OutputPricePerMillion;
            var isDecode = kind is ClaimKind.DecodeTokensPerSecond or ClaimKind.OutputPricePerMillion;
            DollarsPerHour? clusterCost = null;
            if (isPrice)
            {
                var perGpu = parse.GetValue(gpuPrice) is { } p ? DollarsPerHour.FromDollarsPerHour(p) : accelerator.RentalPerHour
                    ?? throw new InvalidInputException("gpu-price", $"{accelerator.Id} has no rental price in the catalog; give one with --gpu-price.");
                clusterCost = perGpu * devices;
            }

            var claimBatch = parse.GetValue(batch);
            Bytes? weightBytes = isDecode && claimBatch is { } b
                ? WeightBytesPerStep(s.Model, accelerator, parse.GetValue(weights), claimPrecision, b)
                : null;
            var claim = new Claim(kind, value, accelerator, devices,
                parse.GetValue(activeParams) ?? ParameterCounter.Count(s.Model).ActiveCompute,
                weightBytes, isDecode ? claimBatch : null, clusterCost, claimPrecision);
            var verdict = PhysicsCheck.Check(claim);
            var (best, bestPeak) = HighestPeak(accelerator);
            var atBest = PhysicsCheck.Check(claim with { Precision = best });
            var report = new CheckReport(claim, verdict, best, bestPeak, atBest.FactorOverCompute, weightBytes is null ? null : WeightBytesMethod);
            if (parse.GetValue(json))
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

    // A single-device setup reads every weight exactly once per step: the fewest bytes any layout must read.
    private static Bytes WeightBytesPerStep(ModelArchitecture model, Accelerator accelerator, Precision? weights, Precision compute, int batch)
    {
        var config = new ServingConfig { TotalDevices = 1, WeightPrecision = weights, ComputePrecision = compute };
        var setup = new ServingSetup(model, accelerator, Parallelism.Single, config);
        return DecodeModel.Step(setup, batch, 0).WeightBytesPerDevice;
    }

    private static (Precision Precision, FlopsPerSecond Peak) HighestPeak(Accelerator accelerator) =>
        Enum.GetValues<Precision>()
            .Select(p => (Precision: p, Peak: accelerator.Peaks.For(p)))
            .Where(x => x.Peak is not null)
            .Select(x => (x.Precision, Peak: x.Peak!.Value))
            .OrderByDescending(x => x.Peak.Value)
            .ThenBy(x => x.Precision)
            .First();

    private static void Render(IAnsiConsole console, CheckReport r, ModelArchitecture model)
    {
        var c = r.Claim;
        var v = r.Verdict;
        var peak = c.Accelerator.Peaks.For(c.Precision)!.Value;
        var stated = c.Kind switch
        {
            ClaimKind.PrefillTokensPerSecond => $"prefill {Number(c.Value)} tok/s",
            ClaimKind.DecodeTokensPerSecond => $"decode {Number(c.Value)} tok/s" + (c.Batch is { } b ? $" at batch {Number(b)}" : ""),
            ClaimKind.InputPricePerMillion => $"input at {Money(c.Value)}/MTok",
            _ => $"output at {Money(c.Value)}/MTok" + (c.Batch is { } b2 ? $" at batch {Number(b2)}" : ""),
        };
        console.Write(KeyValueTable.Create("Claim check",
        [
            ("Claim", $"{stated} on {c.Devices} × {c.Accelerator.Id} ({model.Id})"),
            ("Active parameters", Parameters(c.ActiveParameters) + " (2 FLOPs each per token)"),
            ("Precision", $"{c.Precision.Name()} ({Flops(peak)} dense peak per device)"),
            ("Cluster cost", c.ClusterCost is { } cost ? Money(cost) : null),
            ("Claimed rate", Rate(v.ClaimedRate)),
            ("Compute ceiling", Rate(v.ComputeCeiling) + " (100% of peak)"),
            ("Bandwidth ceiling", v.BandwidthCeiling is { } bw ? Rate(bw) + " (weights read once per step at full bandwidth)" : "not checked (decode claims with --batch only)"),
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
    }
}
