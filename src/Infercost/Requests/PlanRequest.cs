using Infercost.Serving;
using Infercost.Simulation;
using Infercost.Simulation.Traces;

namespace Infercost.Requests;

/// <summary>What <c>plan</c> planned (the document its <c>--json</c> prints).</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Plan">The planner's answer.</param>
public sealed record PlanReport(string Model, string Accelerator, string Input, string Output, CapacityPlan Plan)
{
    /// <summary>The speculative decoding every simulated replica decoded with (method, k, acceptance, expected tokens
    /// per sequence per step); null without.</summary>
    public Speculation.SpeculationSpec? Speculation { get; init; }

    /// <summary>Where the chosen fleet lies outside calibration coverage (at its peak trial's mean decode batch).</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>With <see cref="PlanRequest.Bands"/>: the plans at the calibrated band's slow and fast engine speeds; null otherwise.</summary>
    public PlanBands? Bands { get; init; }
}

/// <summary>What <c>plan --disaggregated</c> planned (the document its <c>--json</c> prints).</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Aggregated">The aggregated plan (prefill and decode on every replica); null when none meets the SLO.</param>
/// <param name="Disaggregated">The prefill and decode pools.</param>
public sealed record DisaggregatedPlanReport(string Model, string Accelerator, string Input, string Output, CapacityPlan? Aggregated,
    DisaggregatedPlan Disaggregated)
{
    /// <summary>The speculative decoding the decode replicas (and the aggregated fleet's) decoded with; null without.</summary>
    public Speculation.SpeculationSpec? Speculation { get; init; }

    /// <summary>Where either pool lies outside calibration coverage (at the decode pool's mean decode batch in the peak
    /// trial), each extrapolation once.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>With <see cref="PlanRequest.Bands"/>: the split plans at the calibrated band's slow and fast engine speeds
    /// (the pools' replica sizes as modelled); null otherwise.</summary>
    public DisaggregatedPlanBands? Bands { get; init; }
}

// plan searches replica sizes and counts by simulation, so unlike simulate it takes no gpus, tp or batch: those are its
// answer. Its workload is a peak rate (or a day curve) with length distributions; a trace file (CLI only) replaces
// both through Prepare's trace argument. The work per request is bounded by the planner itself: replica sizes up to
// maxGpusPerReplica (≤ 1,024, powers of two), each trial at most CapacityPlanner.MaxTrialRequests requests on at most
// MaxPoolReplicas replicas, and a bounded search per size; the token reaches every trial's simulator loop.

/// <summary>The <c>plan</c> question: the fewest GPUs whose simulated P90 TTFT and TPOT meet the SLO at the peak rate,
/// and what a day costs with that fleet fixed and autoscaled; with <see cref="Disaggregated"/>, separate prefill and
/// decode pools beside it.</summary>
public sealed record PlanRequest : ModelGpuRequest, ISpeculationFields
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField RateField = new("rate", 1e-6, 1e6), CvField = new("cv", 0.05, 20);

    /// <summary>Accepted ranges.</summary>
    public static readonly WholeField InputField = new("input", 1, 10_000_000), OutputField = new("output", 1, 10_000_000),
        MaxBatchField = new("maxBatch", 1, 1_000_000), PrefillChunkField = new("prefillChunk", 1, 10_000_000), AutoscaleStepField = new("autoscaleStep", 1, 24),
        MaxGpusPerReplicaField = new("maxGpusPerReplica", 1, 1024), PrefillGpusPerReplicaField = new("prefillGpusPerReplica", 1, 1024),
        DecodeGpusPerReplicaField = new("decodeGpusPerReplica", 1, 1024), BlockSizeField = SimulationRequest.BlockSizeField, SeedField = SimulationRequest.SeedField;

    /// <summary>Peak requests per second (with <see cref="Diurnal"/>, the busiest hour's rate). Give rate or rateCurve.</summary>
    public double? Rate { get; init; }

    /// <summary>The day's load: the CSV text of <c>hour,rate</c> lines (the CLI reads <c>--rate-curve FILE</c>).</summary>
    public string? RateCurve { get; init; }

    /// <summary>Vary the rate over the day with the built-in shape.</summary>
    public bool Diurnal { get; init; }

    /// <summary>Gaps between arrivals: <c>poisson</c> (default) or <c>gamma</c>.</summary>
    public string? Arrival { get; init; }

    /// <summary>With gamma arrivals: coefficient of variation of the gaps; default 2.</summary>
    public double? Cv { get; init; }

    /// <summary>Prompt tokens per request (see <see cref="InputDist"/>).</summary>
    public int Input { get; init; } = Defaults.InputTokens;

    /// <summary>Output tokens per request (see <see cref="OutputDist"/>).</summary>
    public int Output { get; init; } = Defaults.OutputTokens;

    /// <summary>Prompt lengths: <c>N</c> or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>; overrides <see cref="Input"/>.</summary>
    public string? InputDist { get; init; }

    /// <summary>Output lengths: <c>N</c> or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>; overrides <see cref="Output"/>.</summary>
    public string? OutputDist { get; init; }

    /// <summary>Prompt lengths from a histogram: the CSV text of <c>tokens,weight</c> lines.</summary>
    public string? InputHist { get; init; }

    /// <summary>Output lengths from a histogram: the CSV text of <c>tokens,weight</c> lines.</summary>
    public string? OutputHist { get; init; }

    /// <summary>Weight precision; default the model's published precision.</summary>
    public Precision? Weights { get; init; }

    /// <summary>KV-cache precision; default bf16.</summary>
    public Precision? Kv { get; init; }

    /// <summary>Block-scale layout of fp4 weights and KV cache (<c>nvfp4</c>, <c>mxfp4</c>); default the checkpoint's,
    /// else the device's (<see cref="ServingConfig.Fp4Format"/>).</summary>
    public Fp4Format? Fp4Format { get; init; }

    /// <summary>Most sequences running at once per replica; default the engine's.</summary>
    public int? MaxBatch { get; init; }

    /// <summary>Token budget of one step; default the engine's.</summary>
    public int? PrefillChunk { get; init; }

    /// <summary>Serving engine profile; default vllm.</summary>
    public string? Engine { get; init; }

    /// <summary>An engine profile fitted to the user's deployment (<c>calibrate deployment</c>); see <see cref="DeploymentRequest.EngineProfile"/>.</summary>
    public Calibration.DeploymentProfile? EngineProfile { get; init; }

    /// <summary>The kernel that runs a MoE model's routed experts (<c>--moe-kernel</c>); see <see cref="DeploymentRequest.MoeKernel"/>.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Tokens per KV-cache block.</summary>
    public int BlockSize { get; init; } = SchedulerConfig.Default.BlockTokens;

    /// <summary>Seed of every random draw.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Time-to-first-token target (duration text); default 2 s.</summary>
    public string? SloTtft { get; init; }

    /// <summary>Time-per-output-token target (duration text); default 50 ms.</summary>
    public string? SloTpot { get; init; }

    /// <summary>Hours between autoscaling decisions.</summary>
    public int AutoscaleStep { get; init; } = 1;

    /// <summary>Largest replica tried (sizes 1, 2, 4, … up to this).</summary>
    public int MaxGpusPerReplica { get; init; } = 8;

    /// <summary>Least simulated arrival time per trial (duration text); default 120 s.</summary>
    public string? TrialTime { get; init; }

    /// <summary>Also plan separate prefill and decode pools.</summary>
    public bool Disaggregated { get; init; }

    /// <summary>Plan again at the engine speeds of the calibrated band's P10 and P90 (<see cref="PlanReport.Bands"/>): the
    /// fleet to buy if the engine is as slow as the band's low end, and what its high end would need. Three plans' work.
    /// With <see cref="Disaggregated"/> the split pools are planned again at both ends (<see cref="DisaggregatedPlanReport.Bands"/>),
    /// with the replica sizes of the plan as modelled; the aggregated plan beside them is not.</summary>
    public bool Bands { get; init; }

    /// <summary>With <see cref="Disaggregated"/>: GPUs per prefill replica; default the aggregated plan's size.</summary>
    public int? PrefillGpusPerReplica { get; init; }

    /// <summary>With <see cref="Disaggregated"/>: GPUs per decode replica; default the aggregated plan's size.</summary>
    public int? DecodeGpusPerReplica { get; init; }

    /// <summary>Speculative decoding in every simulated replica: <c>mtp</c> or <c>draft</c> (see
    /// <see cref="ServingRequest.SpecMethod"/>); null decodes one token per step unless <see cref="DraftModel"/> is given.</summary>
    public string? SpecMethod { get; init; }

    /// <summary>Draft tokens per step (k), in [1, 16]; default 1 when speculating.</summary>
    public int? SpecLength { get; init; }

    /// <summary>Per-position acceptance rates (the last repeats to k); default <see cref="ServingRequest.DefaultAcceptance"/>.</summary>
    public IReadOnlyList<double>? SpecAcceptance { get; init; }

    /// <summary>Catalog id of the draft model (implies <c>draft</c>).</summary>
    public string? DraftModel { get; init; }

    /// <summary>A token tree, nodes per depth (see <see cref="ServingRequest.SpecTree"/>).</summary>
    public IReadOnlyList<int>? SpecTree { get; init; }

    /// <summary>Per-depth top-k accuracies instead of the acceptance (see <see cref="ServingRequest.SpecTopk"/>).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? SpecTopk { get; init; }

    /// <summary>With <see cref="SpecTopk"/>: the best tree of this many nodes (see <see cref="ServingRequest.SpecTreeNodes"/>).</summary>
    public int? SpecTreeNodes { get; init; }

    /// <summary>Rental price in dollars per GPU-hour (number or range: the midpoint is used); default the catalog's.</summary>
    public NumberRange? GpuPrice { get; init; }

    /// <summary>Price owned hardware (depreciation + electricity) instead of rental.</summary>
    public bool Owned { get; init; }

    /// <summary>With owned: price per GPU in dollars.</summary>
    public NumberRange? PurchasePrice { get; init; }

    /// <summary>With owned: host, chassis and network as a fraction of the GPU price.</summary>
    public double? ServerShare { get; init; }

    /// <summary>With owned: depreciation period in years.</summary>
    public double? LifespanYears { get; init; }

    /// <summary>With owned: electricity price in dollars per kWh.</summary>
    public NumberRange? Electricity { get; init; }

    /// <summary>Facility power usage effectiveness.</summary>
    public double? Pue { get; init; }

    /// <summary>With owned: watts per GPU at load.</summary>
    public double? Power { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RateField.Check(Rate);
        CvField.Check(Cv);
        InputField.Check(Input);
        OutputField.Check(Output);
        MaxBatchField.Check(MaxBatch);
        PrefillChunkField.Check(PrefillChunk);
        AutoscaleStepField.Check(AutoscaleStep);
        MaxGpusPerReplicaField.Check(MaxGpusPerReplica);
        PrefillGpusPerReplicaField.Check(PrefillGpusPerReplica);
        DecodeGpusPerReplicaField.Check(DecodeGpusPerReplica);
        BlockSizeField.Check(BlockSize);
        SeedField.Check(Seed);
        new DeploymentRequest { Gpus = 1, Engine = Engine, EngineProfile = EngineProfile, MoeKernel = MoeKernel }.ResolveEngine();
        EngineProfile?.Validated("engineProfile");
        _ = SloOf();
        _ = TrialSeconds;
        if (ArrivalKindOf() != ArrivalKind.Gamma && Cv is not null)
            throw RequestFields.Error("cv", "{cv} shapes gamma arrivals; add {arrival} gamma, or drop {cv}.");
        CostFields().ValidateCost();
        SpeculationFields.AsServingRequest(this).ValidateSpeculation();
        if (InputDist is not null && InputHist is not null) throw RequestFields.Error("inputDist", "{inputDist} and {inputHist} both give the prompt lengths; use one.");
        if (OutputDist is not null && OutputHist is not null) throw RequestFields.Error("outputDist", "{outputDist} and {outputHist} both give the output lengths; use one.");
        if (!Disaggregated && (PrefillGpusPerReplica is not null || DecodeGpusPerReplica is not null))
        {
            throw RequestFields.Error("disaggregated", "{prefillGpusPerReplica} and {decodeGpusPerReplica} size the pools of {disaggregated}; add {disaggregated}.");
        }
    }

    /// <summary>Validates the fields that do not depend on a trace (rate, rate curve, diurnal, lengths given).</summary>
    private void ValidateWorkload()
    {
        if (RateCurve is not null && (Rate is not null || Diurnal)) throw RequestFields.Error("rateCurve", "{rateCurve} gives the whole day's rates; drop {rate} and {diurnal}.");
        if (RateCurve is null && Rate is null) throw RequestFields.Error("rate", "rate is required: give {rate} REQ/S or {rateCurve} FILE.");
    }

    /// <summary>True when a field a trace replaces is given (rate, rate curve, diurnal, length distributions).</summary>
    public bool GivesWorkload => Rate is not null || RateCurve is not null || Diurnal || InputDist is not null || OutputDist is not null || InputHist is not null || OutputHist is not null;

    private double TrialSeconds => TrialTime is null ? 120 : DurationText.ParseSeconds(TrialTime, "trialTime", 1, 86_400);

    private Slo SloOf() => new Slo(
        Quantities.Seconds.FromSeconds(SloTtft is null ? Slo.Default.TimeToFirstToken.Value : DurationText.ParseSeconds(SloTtft, "sloTtft", 1e-6, 86_400)),
        Quantities.Seconds.FromSeconds(SloTpot is null ? Slo.Default.TimePerOutputToken.Value : DurationText.ParseSeconds(SloTpot, "sloTpot", 1e-6, 3600))).Validated();

    private ArrivalKind ArrivalKindOf() => Arrival?.Trim().ToLowerInvariant() switch
    {
        null or "poisson" => ArrivalKind.Poisson,
        "gamma" => ArrivalKind.Gamma,
        var other => throw new InvalidInputException("arrival", $"arrival must be poisson or gamma; was '{other}'."),
    };

    private PricedRequest CostFields() => new()
    {
        GpuPrice = GpuPrice, Owned = Owned, PurchasePrice = PurchasePrice, ServerShare = ServerShare, LifespanYears = LifespanYears,
        Electricity = Electricity, Pue = Pue, Power = Power,
    };

    /// <summary>Validates and builds the planner's inputs for <paramref name="subject"/>.</summary>
    /// <param name="subject">Model and accelerator.</param>
    /// <param name="trace">A trace's rate and lengths (the CLI's <c>--trace</c>), replacing the rate and length fields; null otherwise.</param>
    /// <param name="sources">How the CSV fields name their source in problems (the CLI's file paths); default the field names.</param>
    /// <exception cref="InvalidInputException">A field out of range, or a trace with the fields it replaces.</exception>
    public PlanInputs Prepare(Subject subject, TraceWorkload? trace = null, (string? RateCurve, string? InputHist, string? OutputHist) sources = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        RateCurve day;
        ArrivalProcess arrivals;
        LengthDistribution input, output;
        if (trace is not null)
        {
            if (GivesWorkload) throw RequestFields.Error("trace", "{trace} gives the rate and the lengths; drop {rate}, {rateCurve}, {diurnal} and the length distributions.");
            day = Simulation.RateCurve.Constant(trace.Rate);
            arrivals = new ArrivalProcess(day, ArrivalKind.Gamma, Math.Clamp(trace.GapCv, 0.05, 20));
            (input, output) = (trace.Input, trace.Output);
        }
        else
        {
            ValidateWorkload();
            day = RateCurve is { } csv ? Simulation.RateCurve.ParseCsv(csv, sources.RateCurve ?? "rateCurve")
                : Diurnal ? Simulation.RateCurve.Diurnal(Rate!.Value) : Simulation.RateCurve.Constant(Rate!.Value);
            var kind = ArrivalKindOf();
            arrivals = new ArrivalProcess(day, kind, kind == ArrivalKind.Gamma ? Cv ?? 2 : 1).Validated();
            input = InputHist is { } ih ? EmpiricalLength.ParseCsv(ih, sources.InputHist ?? "inputHist")
                : InputDist is { } id ? LengthDistribution.Parse(id, "inputDist") : new FixedLength(Input);
            output = OutputHist is { } oh ? EmpiricalLength.ParseCsv(oh, sources.OutputHist ?? "outputHist")
                : OutputDist is { } od ? LengthDistribution.Parse(od, "outputDist") : new FixedLength(Output);
        }

        // The engine profile's scheduler defaults, memory reserve and runtime (DeploymentRequest.ToConfig).
        var engineConfig = new DeploymentRequest { Gpus = 1, Engine = Engine, EngineProfile = EngineProfile, MoeKernel = MoeKernel }.ToConfig();
        // A kernel the model or GPU cannot run is refused here, not once per replica size the planner tries.
        engineConfig.Engine.CheckChosenMoeKernel(subject.Model, Kernels.Architectures.Of(subject.Accelerator));
        return new PlanInputs(subject.Model, subject.Accelerator,
            engineConfig with { WeightPrecision = Weights, KvPrecision = Kv ?? Defaults.KvPrecision, Fp4Format = Fp4Format, Speculation = SpeculationFields.AsServingRequest(this).ResolveSpeculation(subject) },
            new SchedulerConfig(PrefillChunk ?? engineConfig.PrefillChunkTokens, MaxBatch ?? engineConfig.MaxBatch, BlockSize),
            input, output, day.Peak, SloOf(), CostFields().Basis(), day, arrivals.Kind, arrivals.CoefficientOfVariation,
            AutoscaleStep, Seed, TrialSeconds, MaxGpusPerReplica).Validated();
    }

    /// <summary>Validates, resolves the model and accelerator in <paramref name="catalog"/> and plans: a
    /// <see cref="PlanReport"/>, or with <see cref="Disaggregated"/> a <see cref="DisaggregatedPlanReport"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, or no fleet meets the SLO.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public object Answer(Catalog.Catalog catalog, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var subject = Resolve(catalog);
        return Answer(subject, Prepare(subject), progress, cancellation);
    }

    /// <summary>Plans with inputs already prepared by <see cref="Prepare"/>.</summary>
    public object Answer(Subject subject, PlanInputs inputs, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(inputs);
        var (model, gpu) = (subject.Model.Id, subject.Accelerator.Id);
        var (inputText, outputText) = (SimulationRequest.Describe(inputs.Input), SimulationRequest.Describe(inputs.Output));
        if (!Disaggregated)
        {
            var plan = CapacityPlanner.Plan(inputs, Bands ? ScaledProgress.Of(progress, 0, 1.0 / 3) : progress, cancellation);
            // The chosen fleet's coverage: its layout at the peak trial's mean decode batch per replica.
            var extrapolating = Calibration.CalibrationCoverage.Shipped.AssessRun(ReplicaOf(inputs, plan.Parallelism), plan.AtPeak.OutputTokens.Value, plan.AtPeak.Steps);
            var report = new PlanReport(model, gpu, inputText, outputText, plan) { Speculation = inputs.Config.Speculation?.Spec, Extrapolating = extrapolating };
            if (!Bands) return report;
            var speed = Calibration.CalibratedEfficiency.Bands.For(extrapolating);
            PlanEnd At(double f, int third)
            {
                try
                {
                    return PlanEnd.Of(f, CapacityPlanner.Plan(AtSpeed(inputs, f), ScaledProgress.Of(progress, third / 3.0, 1.0 / 3), cancellation));
                }
                catch (InvalidInputException e)
                {
                    return PlanEnd.Failed(f, e.Message);
                }
            }

            return report with { Bands = new PlanBands(speed, At(speed.Low, 1), At(speed.High, 2)) };
        }

        // Progress: the aggregated plan and the split take half each, or a quarter each with the split's two band ends.
        var share = Bands ? 0.25 : 0.5;
        var (sizeP, sizeD) = (PrefillGpusPerReplica, DecodeGpusPerReplica);
        CapacityPlan? aggregated = null;
        try
        {
            aggregated = CapacityPlanner.Plan(inputs, ScaledProgress.Of(progress, 0, share), cancellation);
        }
        catch (InvalidInputException) when (sizeP is not null && sizeD is not null)
        {
            // The pools are sized by hand: they may meet an SLO that no aggregated fleet meets.
        }

        var (prefillSize, decodeSize) = (sizeP ?? aggregated!.DevicesPerReplica, sizeD ?? aggregated!.DevicesPerReplica);
        var split = DisaggregatedPlanner.Plan(inputs, prefillSize, decodeSize, ScaledProgress.Of(progress, share, share), cancellation);
        var splitReport = new DisaggregatedPlanReport(model, gpu, inputText, outputText, aggregated, split)
        {
            Speculation = inputs.Config.Speculation?.Spec,
            Extrapolating = SplitCoverage(inputs, split),
        };
        if (!Bands) return splitReport;
        var splitSpeed = Calibration.CalibratedEfficiency.Bands.For(splitReport.Extrapolating);
        DisaggregatedPlanEnd SplitAt(double f, int quarter)
        {
            try
            {
                return DisaggregatedPlanEnd.Of(f, DisaggregatedPlanner.Plan(AtSpeed(inputs, f), prefillSize, decodeSize, ScaledProgress.Of(progress, quarter / 4.0, 0.25), cancellation));
            }
            catch (InvalidInputException e)
            {
                return DisaggregatedPlanEnd.Failed(f, e.Message);
            }
        }

        return splitReport with { Bands = new DisaggregatedPlanBands(splitSpeed, SplitAt(splitSpeed.Low, 2), SplitAt(splitSpeed.High, 3)) };
    }

    // The split fleet's coverage: each pool's layout, at the decode pool's mean decode batch in the peak trial (a prefill
    // replica decodes nothing, so the batch regime is the decode pool's), each extrapolation once.
    private static List<Calibration.Extrapolation> SplitCoverage(PlanInputs inputs, DisaggregatedPlan split)
    {
        var (output, steps) = (split.AtPeak.Fleet.OutputTokens.Value, split.AtPeak.Decode.Steps);
        var coverage = Calibration.CalibrationCoverage.Shipped;
        return coverage.AssessRun(ReplicaOf(inputs, split.DecodeParallelism), output, steps)
            .Concat(coverage.AssessRun(ReplicaOf(inputs, split.PrefillParallelism), output, steps))
            .Distinct().ToList();
    }

    // One replica of the planned layout, for its coverage.
    private static ServingSetup ReplicaOf(PlanInputs inputs, Parallelism parallelism) => new(inputs.Model, inputs.Accelerator, parallelism,
        inputs.Config with { TotalDevices = parallelism.DevicesPerReplica, Parallelism = parallelism });

    // The plan's inputs with every simulated step at a band end's engine speed (ServingConfig.SpeedFactor).
    private static PlanInputs AtSpeed(PlanInputs inputs, double speedRatio) => inputs with { Config = (inputs.Config with { SpeedFactor = speedRatio }).Validated() };
}
