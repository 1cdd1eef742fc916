using Infercost.Calibration;
using Infercost.Dataflow;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>A GPU replica's decode figures beside a dataflow estimate, from the engine's GPU model.</summary>
/// <param name="AcceleratorId">The GPU.</param>
/// <param name="Gpus">GPUs in one replica.</param>
/// <param name="Batch">Decode batch per replica.</param>
/// <param name="TokensPerSecondPerUser">Per-user decode speed.</param>
/// <param name="TokensPerSecond">Replica decode throughput.</param>
/// <param name="JoulesPerToken">GPUs × TDP ÷ throughput (board power only, as for the dataflow machine).</param>
/// <param name="SpeedRatio">Dataflow per-user speed ÷ GPU per-user speed.</param>
/// <param name="EnergyRatio">Dataflow J/token ÷ GPU J/token.</param>
public sealed record GpuComparison(string AcceleratorId, int Gpus, int Batch, TokensPerSecond TokensPerSecondPerUser, TokensPerSecond TokensPerSecond,
    double? JoulesPerToken, double SpeedRatio, double? EnergyRatio)
{
    /// <summary>The serving engine the GPU's estimate is for.</summary>
    public string Engine { get; init; } = "";

    /// <summary>P10–P90 of the GPU's per-user speed, from its estimate's calibrated throughput band (tokens/s).</summary>
    public Banded? TokensPerSecondPerUserBand { get; init; }

    /// <summary>The speed ratio at the GPU band's ends: the dataflow bound ÷ the GPU's per-user speed at P90 (low) and
    /// at P10 (high). The dataflow side is a bound with no band.</summary>
    public Banded? SpeedRatioBand { get; init; }

    /// <summary>Where the GPU's estimate lies outside calibration coverage.</summary>
    public IReadOnlyList<Extrapolation> Extrapolating { get; init; } = [];
}

/// <summary>What <c>infercost dataflow --json</c> prints and <c>POST /api/dataflow</c> returns.</summary>
/// <param name="Estimate">The dataflow estimate.</param>
/// <param name="Gpu">The GPU comparison, when asked for.</param>
public sealed record DataflowReport(DataflowEstimate Estimate, GpuComparison? Gpu);

/// <summary>The <c>dataflow</c> question: decode of <see cref="Model"/> on a pipelined SRAM machine (<see cref="Gpu"/>:
/// Groq LPU, Cerebras WSE-3) with its own physics, optionally beside a GPU replica (<see cref="CompareGpu"/>) estimated
/// by the engine as <c>cost</c> estimates it.</summary>
public sealed record DataflowRequest
{
    /// <summary>Accepted ranges of the whole-number fields.</summary>
    public static readonly WholeField BatchField = new("batch", 1, 100_000), InputField = new("input", 0, 10_000_000), OutputField = new("output", 1, 10_000_000),
        ChipsField = new("chips", 1, DataflowModel.MaxChips), CompareGpusField = new("compareGpus", 1, 1_000_000), CompareBatchField = new("compareBatch", 1, 1_000_000);

    /// <summary>Accepted ranges of the machine's fields.</summary>
    public static readonly NumberField SramUsableField = new("sramUsable", 0.01, 1), LinkGbpsField = new("linkGbps", 1e-3, 1e6),
        HopLatencyUsField = new("hopLatencyUs", 0, 1e6), PeakTflopsField = new("peakTflops", 1e-3, 1e7), StreamGbpsField = new("streamGbps", 1e-3, 1e7);

    /// <summary>The defaults of the fields that have one.</summary>
    public const int DefaultTokens = 1000, DefaultCompareGpus = 8;

    /// <summary>Model id (required).</summary>
    public string? Model { get; init; }

    /// <summary>The SRAM machine's catalog id (required: groq-lpu-v1, cerebras-wse-3).</summary>
    public string? Gpu { get; init; }

    /// <summary>Sequences per micro-batch (every pipeline stage holds one).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Prompt tokens per request.</summary>
    public int Input { get; init; } = DefaultTokens;

    /// <summary>Output tokens per request (decode context = input + output ÷ 2).</summary>
    public int Output { get; init; } = DefaultTokens;

    /// <summary>Weight precision in SRAM; default the machine's (fp16).</summary>
    public Precision? Weights { get; init; }

    /// <summary>Share of each chip's SRAM for weights and KV (an assumption; default 0.9).</summary>
    public double SramUsable { get; init; } = 0.9;

    /// <summary>Chip-to-chip bandwidth per direction, GB/s; default the catalog's link.</summary>
    public double? LinkGbps { get; init; }

    /// <summary>Latency of one chip-to-chip hop, µs (an assumption; default 1).</summary>
    public double HopLatencyUs { get; init; } = 1;

    /// <summary>Dense peak per chip at the weight precision, TFLOP/s; default the catalog's.</summary>
    public double? PeakTflops { get; init; }

    /// <summary>Chips available; default as many as the weights and KV need.</summary>
    public int? Chips { get; init; }

    /// <summary>Stream weights that do not fit from off-chip memory at this bandwidth, GB/s (Cerebras MemoryX).</summary>
    public double? StreamGbps { get; init; }

    /// <summary>A GPU to set beside it.</summary>
    public string? CompareGpu { get; init; }

    /// <summary>GPUs in the compared replica; default <see cref="DefaultCompareGpus"/>.</summary>
    public int? CompareGpus { get; init; }

    /// <summary>Decode batch of the compared replica; default the sequences the pipeline holds in flight (the same users
    /// at once), or the most that fit.</summary>
    public int? CompareBatch { get; init; }

    /// <summary>Serving engine profile of the compared GPU (vllm, the default, sglang, trtllm, trtllm-0.14 or trtllm-1).</summary>
    public string? Engine { get; init; }

    /// <summary>The kernel that runs the compared GPU's model's routed experts (trtllm-gen, cutlass or triton), as <c>cost --moe-kernel</c>
    /// applies it (<see cref="DeploymentRequest.MoeKernel"/>); default the engine's.</summary>
    public string? MoeKernel { get; init; }

    /// <summary>Checks every field's range and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw RequestFields.Error("model", "{model} is required: the model id (see 'infercost catalog list models').");
        if (string.IsNullOrWhiteSpace(Gpu)) throw RequestFields.Error("gpu", "{gpu} is required: the SRAM machine's catalog id (groq-lpu-v1, cerebras-wse-3).");
        BatchField.Check(Batch);
        InputField.Check(Input);
        OutputField.Check(Output);
        ChipsField.Check(Chips);
        CompareGpusField.Check(CompareGpus);
        CompareBatchField.Check(CompareBatch);
        SramUsableField.Check(SramUsable);
        LinkGbpsField.Check(LinkGbps);
        HopLatencyUsField.Check(HopLatencyUs);
        PeakTflopsField.Check(PeakTflops);
        StreamGbpsField.Check(StreamGbps);
        if (CompareGpu is null && (CompareGpus is not null ? "compareGpus" : CompareBatch is not null ? "compareBatch" : Engine is not null ? "engine"
                : MoeKernel is not null ? "moeKernel" : null) is { } stray)
            throw RequestFields.Error(stray, $"{{{stray}}} describes the compared GPU; add {{compareGpu}}.");
        DeploymentRequest.CheckEngineNames(Engine, MoeKernel);
    }

    /// <summary>Validates and answers from <paramref name="catalog"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, a machine the model cannot be laid out on.</exception>
    public DataflowReport Answer(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        var m = catalog.GetModel(Model!);
        var a = catalog.GetAccelerator(Gpu!);
        var defaults = DataflowParameters.For(a);
        var parameters = defaults with
        {
            WeightPrecision = Weights ?? defaults.WeightPrecision,
            SramUsableFraction = SramUsable,
            LinkBandwidth = LinkGbps is { } l ? BytesPerSecond.FromGigabytesPerSecond(l) : defaults.LinkBandwidth,
            HopLatency = Seconds.FromMicroseconds(HopLatencyUs),
            Peak = PeakTflops is { } pk ? FlopsPerSecond.FromTeraflops(pk) : null,
            StreamBandwidth = StreamGbps is { } sg ? BytesPerSecond.FromGigabytesPerSecond(sg) : null,
        };
        var estimate = DataflowModel.Estimate(m, a, parameters, Batch, Input + (Output / 2.0), Chips);
        return new DataflowReport(estimate, CompareGpu is { } id ? Compare(m, catalog.GetAccelerator(id), estimate) : null);
    }

    // The GPU replica configured as cost configures it (the engine's scheduler defaults and runtime); by default it serves
    // as many users at once as the pipeline holds, when that many fit.
    private GpuComparison Compare(Models.ModelArchitecture model, Hardware.Accelerator g, DataflowEstimate estimate)
    {
        var request = new ServingRequest { Gpus = CompareGpus ?? DefaultCompareGpus, Input = Math.Max(1, Input), Output = Output, Batch = CompareBatch, Engine = Engine, MoeKernel = MoeKernel };
        var config = request.ToConfig();
        ServingEstimate serving;
        try
        {
            serving = ServingEstimator.Estimate(model, g, config);
            if (config.Batch is null && estimate.SequencesInFlight < serving.Decode.Batch)
                serving = ServingEstimator.Estimate(model, g, config with { Batch = estimate.SequencesInFlight });
        }
        catch (ModelDoesNotFitException e)
        {
            throw new InvalidInputException("compareGpus", $"compareGpus {config.TotalDevices}: {e.Message}");
        }

        var d = serving.Decode;
        var perReplica = d.TokensPerSecond;
        double? joules = g.Tdp is { } tdp ? Watts.JoulesPerToken(tdp * serving.Parallelism.DevicesPerReplica, perReplica) : null;
        var ratio = estimate.TokensPerSecondPerUser / d.TokensPerSecondPerUser;
        var band = serving.ThroughputBand;
        return new GpuComparison(g.Id, serving.Parallelism.DevicesPerReplica, d.Batch, d.TokensPerSecondPerUser, perReplica, joules, ratio,
            estimate.JoulesPerToken is { } ej && joules is { } gj ? ej / gj : null)
        {
            Engine = config.Engine.Name,
            TokensPerSecondPerUserBand = Banded.Of(d.TokensPerSecondPerUser.Value, band),
            SpeedRatioBand = new Banded(ratio, ratio / band.High, ratio / band.Low),
            Extrapolating = serving.Extrapolating,
        };
    }
}
