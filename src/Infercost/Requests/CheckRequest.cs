using Infercost.Hardware;
using Infercost.Models;
using Infercost.Physics;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>What <c>check</c> found: the claim, its verdict at the claim's precision, and how far it is from the
/// highest dense peak the device has at any precision.</summary>
/// <param name="Claim">The claim as checked.</param>
/// <param name="Verdict">Ceilings, factors and explanation at <see cref="Physics.Claim.Precision"/>.</param>
/// <param name="HighestPeakPrecision">The precision with the device's highest dense peak.</param>
/// <param name="HighestPeak">That peak, per device.</param>
/// <param name="FactorOverHighestPeak">Claimed rate ÷ the compute ceiling at the highest peak.</param>
/// <param name="WeightBytesMethod">How <see cref="Physics.Claim.WeightBytesPerStep"/> was derived; null when not used.</param>
/// <param name="Engine">For a decode-throughput claim: what the serving model predicts on the same devices and the batch
/// at which it matches the claim; null for other claims or when the model does not fit.</param>
public sealed record CheckReport(
    Claim Claim,
    ClaimVerdict Verdict,
    Precision HighestPeakPrecision,
    FlopsPerSecond HighestPeak,
    double FactorOverHighestPeak,
    string? WeightBytesMethod,
    EngineReading? Engine = null);

/// <summary>A decode-throughput claim read against the serving model (not the 100%-efficiency rooflines): the realistic
/// figure, and the batch that the claim implies.</summary>
/// <param name="Layout">Replica layout the planner chose for the devices (1,000 in / 1,000 out tokens per request).</param>
/// <param name="Replicas">Replicas on the devices.</param>
/// <param name="LargestBatch">Largest decode batch per replica that fits (up to the default cap).</param>
/// <param name="AtLargestBatch">Cluster output tokens/s at <paramref name="LargestBatch"/>.</param>
/// <param name="AtBatchOne">Cluster output tokens/s at one sequence per replica.</param>
/// <param name="ImpliedBatch">Smallest batch per replica at which the serving model reaches the claim; null when even
/// <paramref name="LargestBatch"/> falls short.</param>
/// <param name="Explanation">Which assumption makes the difference, in a sentence.</param>
public sealed record EngineReading(Parallelism Layout, int Replicas, int LargestBatch, TokensPerSecond AtLargestBatch, TokensPerSecond AtBatchOne,
    int? ImpliedBatch, string Explanation)
{
    /// <summary>The serving engine the reading is for (<see cref="CheckRequest.Engine"/>; vLLM by default).</summary>
    public string Software { get; init; } = "";

    /// <summary>P10–P90 of <see cref="AtLargestBatch"/> from the estimate's calibrated throughput band (tokens/s); the
    /// implied batch is read at the modelled speed.</summary>
    public Calibration.Banded? AtLargestBatchBand { get; init; }

    /// <summary>Where the reading lies outside calibration coverage.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];
}

/// <summary>The <c>check</c> question: is a claimed throughput or price physically possible on the hardware named?
/// Exactly one of <see cref="PrefillTps"/>, <see cref="DecodeTps"/>, <see cref="InputPrice"/>, <see cref="OutputPrice"/>.</summary>
public sealed record CheckRequest : ModelGpuRequest
{
    private const string WeightBytesMethod =
        "DecodeModel.Step on a single-device view of the model at the claimed batch: every non-expert weight read once " +
        "(input embedding excluded) plus the expected distinct routed experts the batch touches under uniform routing; " +
        "KV-cache reads ignored, so the ceiling is generous.";

    /// <summary>Accepted ranges.</summary>
    public static readonly WholeField GpusField = new("gpus", 1, 10_000_000), BatchField = new("batch", 1, 10_000_000);

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField PrefillTpsField = NumberField.Positive("prefillTps", 1e12), DecodeTpsField = NumberField.Positive("decodeTps", 1e12),
        InputPriceField = NumberField.Positive("inputPrice", 100_000), OutputPriceField = NumberField.Positive("outputPrice", 100_000),
        GpuPriceField = new("gpuPrice", 0, 10_000), ActiveParamsField = NumberField.Positive("activeParams", 1e15);

    /// <summary>Devices the claimed figure is for. Required.</summary>
    public int? Gpus { get; init; }

    /// <summary>For a decode claim: the serving engine profile of the serving model's reading (vllm, the default, sglang,
    /// trtllm, trtllm-0.14 or trtllm-1), as <c>cost --engine</c> applies it. The rooflines do not depend on it.</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs the model's routed experts (trtllm-gen, cutlass or triton), as <c>cost --moe-kernel</c>
    /// applies it (<see cref="DeploymentRequest.MoeKernel"/>); default the engine's.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Claimed prompt (input) tokens per second for all the devices.</summary>
    public double? PrefillTps { get; init; }

    /// <summary>Claimed generated (output) tokens per second for all the devices.</summary>
    public double? DecodeTps { get; init; }

    /// <summary>Claimed cost in dollars per million input tokens.</summary>
    public double? InputPrice { get; init; }

    /// <summary>Claimed cost in dollars per million output tokens.</summary>
    public double? OutputPrice { get; init; }

    /// <summary>For decode claims: sequences advancing together across the whole cluster (all devices, not per replica);
    /// enables the bandwidth ceiling.</summary>
    public int? Batch { get; init; }

    /// <summary>For price claims: dollars per GPU-hour; default the catalog's rental price.</summary>
    public double? GpuPrice { get; init; }

    /// <summary>Parameters each token multiplies through (2 FLOPs each); default the model's computed active parameters.</summary>
    public double? ActiveParams { get; init; }

    /// <summary>Matrix precision whose dense peak is the ceiling; default fp8 where the device has it, else bf16.</summary>
    public Precision? Precision { get; init; }

    /// <summary>Weight precision for the bytes a decode step reads; default the model's published precision.</summary>
    public Precision? Weights { get; init; }

    /// <summary>Block-scale layout of fp4 weights (<c>nvfp4</c>, <c>mxfp4</c>); default the checkpoint's, else the device's.</summary>
    public Fp4Format? Fp4Format { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        GpusField.Required(Gpus);
        PrefillTpsField.Check(PrefillTps);
        DecodeTpsField.Check(DecodeTps);
        InputPriceField.Check(InputPrice);
        OutputPriceField.Check(OutputPrice);
        BatchField.Check(Batch);
        GpuPriceField.Check(GpuPrice);
        ActiveParamsField.Check(ActiveParams);
        DeploymentRequest.CheckEngineNames(Engine, MoeKernel);
        var claims = new double?[] { PrefillTps, DecodeTps, InputPrice, OutputPrice }.Count(c => c is not null);
        if (claims != 1)
        {
            throw RequestFields.Error("claim", $"give exactly one of {{prefillTps}}, {{decodeTps}}, {{inputPrice}}, {{outputPrice}}; was {claims}.");
        }

        if (Engine is not null && DecodeTps is null)
            throw RequestFields.Error("engine", "{engine} picks the serving model that reads a {decodeTps} claim; the rooflines of other claims do not depend on it.");
        if (MoeKernel is not null && DecodeTps is null)
            throw RequestFields.Error("moeKernel", "{moeKernel} applies to the serving model that reads a {decodeTps} claim; the rooflines of other claims do not depend on it.");
    }

    /// <summary>Validates, resolves and answers.</summary>
    public CheckReport Answer(Catalog.Catalog catalog, string? modelConfigSource = null)
    {
        Validate();
        return Answer(Resolve(catalog, modelConfigSource));
    }

    /// <summary>Answers for a resolved subject.</summary>
    public CheckReport Answer(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        var (kind, value) = PrefillTps is { } p ? (ClaimKind.PrefillTokensPerSecond, p)
            : DecodeTps is { } d ? (ClaimKind.DecodeTokensPerSecond, d)
            : InputPrice is { } i ? (ClaimKind.InputPricePerMillion, i)
            : (ClaimKind.OutputPricePerMillion, OutputPrice!.Value);
        var devices = Gpus!.Value;
        var accelerator = subject.Accelerator;
        var claimPrecision = Precision ?? (accelerator.Peaks.Fp8 is not null ? Infercost.Precision.Fp8 : Infercost.Precision.Bf16);
        if (accelerator.Peaks.For(claimPrecision) is null)
        {
            throw RequestFields.Error("precision",
                $"{accelerator.Id} has no published dense peak for {claimPrecision.Name()}; choose another {{precision}}.");
        }

        var isPrice = kind is ClaimKind.InputPricePerMillion or ClaimKind.OutputPricePerMillion;
        var isDecode = kind is ClaimKind.DecodeTokensPerSecond or ClaimKind.OutputPricePerMillion;
        DollarsPerHour? clusterCost = null;
        if (isPrice)
        {
            var perGpu = GpuPrice is { } price ? DollarsPerHour.FromDollarsPerHour(price) : accelerator.RentalPerHour
                ?? throw RequestFields.Error("gpuPrice", $"{accelerator.Id} has no rental price in the catalog; give one with {{gpuPrice}}.");
            clusterCost = perGpu * devices;
        }

        Bytes? weightBytes = isDecode && Batch is { } b ? WeightBytesPerStep(subject.Model, accelerator, Weights, Fp4Format, claimPrecision, b) : null;
        var claim = new Claim(kind, value, accelerator, devices,
            ActiveParams ?? ParameterCounter.Count(subject.Model).ActiveCompute,
            weightBytes, isDecode ? Batch : null, clusterCost, claimPrecision);
        var verdict = PhysicsCheck.Check(claim);
        var (best, bestPeak) = HighestPeak(accelerator);
        var atBest = PhysicsCheck.Check(claim with { Precision = best });
        var engine = kind == ClaimKind.DecodeTokensPerSecond ? Reading(subject.Model, accelerator, devices, Weights, Fp4Format, Engine, MoeKernel, value) : null;
        return new CheckReport(claim, verdict, best, bestPeak, atBest.FactorOverCompute, weightBytes is null ? null : WeightBytesMethod, engine);
    }

    // The serving model's decode throughput rises with the batch (weights are read once per step whatever the batch), so
    // the batch a claim implies is found by bisection between 1 and the largest batch that fits.
    private static EngineReading? Reading(ModelArchitecture model, Accelerator accelerator, int devices, Precision? weights, Fp4Format? fp4, string? engine, string? moeKernel, double claimed)
    {
        try
        {
            // Configured as cost configures it: the engine's scheduler defaults and runtime.
            var config = new ServingRequest { Gpus = devices, Weights = weights, Fp4Format = fp4, Engine = engine, MoeKernel = moeKernel }.ToConfig();
            var full = ServingEstimator.Estimate(model, accelerator, config);
            if (full.Replicas == 0) return null;
            var setup = new ServingSetup(model, accelerator, full.Parallelism, config with { Parallelism = full.Parallelism });
            double At(int batch) => ServingEstimator.Estimate(setup, batch).ClusterDecodeTokensPerSecond.Value;
            var largest = full.Decode.Batch;
            var one = At(1);
            int? implied = null;
            if (claimed <= full.ClusterDecodeTokensPerSecond.Value)
            {
                var (lo, hi) = (1, largest);
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (At(mid) >= claimed) hi = mid;
                    else lo = mid + 1;
                }

                implied = lo;
            }

            var predicted = full.ClusterDecodeTokensPerSecond.Value;
            var f = System.Globalization.CultureInfo.InvariantCulture;
            var explanation = implied is { } b
                ? $"The serving model predicts {predicted.ToString("N0", f)} output tok/s on these {devices} devices ({full.Replicas} × {full.Parallelism}) at " +
                  $"its largest batch of {largest} per replica, {(predicted / claimed).ToString("0.0", f)}× the claim; it reaches the claim at a batch of {b} per replica " +
                  $"({one.ToString("N0", f)} tok/s at batch 1). What makes the difference is the batch the claim assumes, not the hardware."
                : $"The serving model predicts at most {predicted.ToString("N0", f)} output tok/s on these {devices} devices ({full.Replicas} × {full.Parallelism}, batch " +
                  $"{largest} per replica), {(claimed / predicted).ToString("0.0", f)}× short of the claim: it needs more than the memory lets batch, a lower weight " +
                  "precision, or efficiencies above those calibrated.";
            return new EngineReading(full.Parallelism, full.Replicas, largest, full.ClusterDecodeTokensPerSecond, TokensPerSecond.FromTokensPerSecond(one), implied, explanation)
            {
                Software = config.Engine.Name,
                AtLargestBatchBand = Calibration.Banded.Of(predicted, full.ThroughputBand),
                Extrapolating = full.Extrapolating,
            };
        }
        catch (ModelDoesNotFitException)
        {
            return null;
        }
    }

    // A single-device setup reads every weight exactly once per step: the fewest bytes any layout must read.
    private static Bytes WeightBytesPerStep(ModelArchitecture model, Accelerator accelerator, Precision? weights, Fp4Format? fp4, Precision compute, int batch)
    {
        var config = new ServingConfig { TotalDevices = 1, WeightPrecision = weights, ComputePrecision = compute, Fp4Format = fp4 };
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
}
