using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Everything the serving model says about one configuration: layout, memory, prefill, decode and cluster totals.</summary>
/// <param name="ModelId">Model catalog id.</param>
/// <param name="AcceleratorId">Accelerator catalog id.</param>
/// <param name="Parallelism">Replica layout used.</param>
/// <param name="TotalDevices">Devices in the cluster.</param>
/// <param name="Replicas">Replicas = ⌊devices / devices per replica⌋.</param>
/// <param name="IdleDevices">Devices left over (still paid for).</param>
/// <param name="WeightPrecision">Non-expert weight precision.</param>
/// <param name="ExpertPrecision">Routed-expert weight precision.</param>
/// <param name="KvPrecision">KV-cache precision.</param>
/// <param name="ComputePrecision">Matrix-unit precision.</param>
/// <param name="PeakPerDevice">Dense peak per device at the compute precision.</param>
/// <param name="TotalParameters">Parameters in the checkpoint.</param>
/// <param name="ActiveParameters">Parameters one token multiplies through (input embedding excluded).</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Generated tokens per request.</param>
/// <param name="Memory">Memory plan at input + output tokens of context.</param>
/// <param name="Prefill">Prefill pass estimate.</param>
/// <param name="Decode">Decode step at the batch and the mean decode context (input + output / 2).</param>
/// <param name="ClusterPrefillTokensPerSecond">Replicas × prefill tokens/s: input tokens/s if the cluster only prefilled.</param>
/// <param name="ClusterDecodeTokensPerSecond">Replicas × decode tokens/s: output tokens/s if the cluster only decoded.</param>
/// <param name="RequestLatency">Time to first token + output tokens × time per output token.</param>
/// <param name="Notes">Assumptions and warnings that apply to this configuration.</param>
public sealed record ServingEstimate(
    string ModelId,
    string AcceleratorId,
    Parallelism Parallelism,
    int TotalDevices,
    int Replicas,
    int IdleDevices,
    Precision WeightPrecision,
    Precision ExpertPrecision,
    Precision KvPrecision,
    Precision ComputePrecision,
    FlopsPerSecond PeakPerDevice,
    double TotalParameters,
    double ActiveParameters,
    int InputTokens,
    int OutputTokens,
    MemoryPlan Memory,
    PrefillEstimate Prefill,
    DecodeEstimate Decode,
    TokensPerSecond ClusterPrefillTokensPerSecond,
    TokensPerSecond ClusterDecodeTokensPerSecond,
    Seconds RequestLatency,
    IReadOnlyList<string> Notes)
{
    /// <summary>Where this estimate lies outside the calibration data (GPU generation, precision, model family or
    /// structure, engine, batch regime, layout); empty when inside. The first note says the same in one line.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>P10–P90 of measured ÷ predicted throughput for this estimate: the calibrated in-coverage band, widened
    /// for each dimension in <see cref="Extrapolating"/> (docs/validation.md#bands).</summary>
    public Calibration.PredictionBand ThroughputBand { get; init; } = Calibration.CalibratedEfficiency.ThroughputRatio;

    /// <summary>Speculative decoding or MTP in the decode step, against plain decoding at the same batch (tokens/s,
    /// utilisation, the draft's memory); null without speculation. <see cref="Decode"/> is then the speculative step.</summary>
    public Speculation.SpeculationSummary? Speculation { get; init; }

    /// <summary>For a non-GPU accelerator, the constants fitted on GPUs that entered its step (kernel curves borrowed
    /// from Hopper, serving fractions, overheads, GPU link terms for collectives not on a torus), each with its value;
    /// null (and absent from JSON) for a GPU. See docs/methodology.md#non-gpu-accelerators.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? GpuDerivedConstants { get; init; }

    /// <summary>The serving engine the estimate is for.</summary>
    public string Engine { get; init; } = "";

    /// <summary>Input tokens per hour for the cluster (prefill only).</summary>
    public Tokens PrefillTokensPerHour => ClusterPrefillTokensPerSecond * Seconds.FromHours(1);

    /// <summary>Output tokens per hour for the cluster (decode only).</summary>
    public Tokens DecodeTokensPerHour => ClusterDecodeTokensPerSecond * Seconds.FromHours(1);
}
