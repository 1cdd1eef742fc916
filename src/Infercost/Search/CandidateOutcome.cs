using Infercost.Quantities;

namespace Infercost.Search;

/// <summary>What the search found for one candidate: where it left the search, and for a simulated one the fleet that
/// meets the SLO. The record a state file keeps per finished candidate.</summary>
/// <param name="Index">The candidate's place in the space.</param>
/// <param name="Configuration">The candidate in words.</param>
/// <param name="Model">Model id.</param>
/// <param name="Gpu">Accelerator id.</param>
/// <param name="Weights">Weight precision served.</param>
/// <param name="Kv">KV-cache precision.</param>
/// <param name="Layout">One replica's parallelism, for example "TP2 PP2".</param>
/// <param name="GpusPerReplica">Devices per replica.</param>
/// <param name="MaxBatch">Sequence cap per attention-data-parallel rank.</param>
/// <param name="PrefillChunk">Token budget per step.</param>
/// <param name="Disaggregated">Separate prefill and decode pools.</param>
/// <param name="Stage">Where it left the search.</param>
/// <param name="Reason">Why it was pruned or is infeasible; null for a feasible candidate.</param>
/// <param name="LowerBoundGpus">The analytic lower bound on its fleet's GPUs (0 when pruned before the bound).</param>
/// <param name="Feasible">A fleet within the GPU limit meets the SLO.</param>
/// <param name="Replicas">Replicas (aggregated) or prefill + decode replicas; null when infeasible.</param>
/// <param name="PrefillReplicas">Disaggregated: prefill replicas.</param>
/// <param name="DecodeReplicas">Disaggregated: decode replicas.</param>
/// <param name="Gpus">GPUs in the fleet.</param>
/// <param name="FleetPerHour">GPUs × price per GPU-hour.</param>
/// <param name="PerMillionTokens">Fleet $/h ÷ (required rate × 3,600 × mean prompt + output tokens) × 10⁶.</param>
/// <param name="KwhPerMillionTokens">GPUs × rated power × PUE, in kW, ÷ the same million tokens per hour; null without a power figure.</param>
/// <param name="P90Ttft">P90 time to first token of the passing trial.</param>
/// <param name="P90Tpot">P90 time per output token of the passing trial.</param>
/// <param name="Trials">Simulations run for it (saturation run included).</param>
/// <param name="Speculation">Its decoding mode: "off", "mtp k 2" or "draft ID k 4".</param>
/// <param name="TokensPerStep">Speculating: expected tokens per sequence per decode step, 1 + Σ Π a_j (Leviathan et
/// al. 2023); 1 without speculation.</param>
/// <param name="Extrapolating">Feasible: where the fleet lies outside calibration coverage, at the passing trial's mean
/// decode batch per replica (the decode pool's when disaggregated); null when infeasible, or when read from a state file
/// an earlier build wrote.</param>
public sealed record CandidateOutcome(
    int Index,
    string Configuration,
    string Model,
    string Gpu,
    string Weights,
    string Kv,
    string Layout,
    int GpusPerReplica,
    int MaxBatch,
    int PrefillChunk,
    bool Disaggregated,
    SearchStage Stage,
    string? Reason,
    int LowerBoundGpus,
    bool Feasible = false,
    int? Replicas = null,
    int? PrefillReplicas = null,
    int? DecodeReplicas = null,
    int? Gpus = null,
    DollarsPerHour? FleetPerHour = null,
    DollarsPerMillionTokens? PerMillionTokens = null,
    double? KwhPerMillionTokens = null,
    Seconds? P90Ttft = null,
    Seconds? P90Tpot = null,
    int Trials = 0,
    string Speculation = "off",
    double TokensPerStep = 1,
    IReadOnlyList<Calibration.Extrapolation>? Extrapolating = null)
{
    /// <summary>The calibrated band (actual ÷ predicted throughput, P10 and P90) for <see cref="Extrapolating"/>; null
    /// when that is. A fleet sized to an SLO does not scale its cost by it: <c>plan --bands</c> re-plans a chosen
    /// configuration at both ends.</summary>
    public Calibration.PredictionBand? Speed => Extrapolating is { } list ? Calibration.CalibratedEfficiency.Bands.For(list) : null;

    /// <summary>The value ranked by <paramref name="rank"/> (lower is better); null when infeasible.</summary>
    public double? Metric(SearchRank rank) => !Feasible ? null : rank switch
    {
        SearchRank.Cost => PerMillionTokens?.Value,
        SearchRank.Gpus => Gpus,
        _ => KwhPerMillionTokens,
    };

    /// <summary>The front's second axis; null when infeasible.</summary>
    public double? FrontValue(SearchFront front) => !Feasible ? null : front switch
    {
        SearchFront.Ttft => P90Ttft?.Value,
        SearchFront.Tpot => P90Tpot?.Value,
        _ => Gpus,
    };
}
