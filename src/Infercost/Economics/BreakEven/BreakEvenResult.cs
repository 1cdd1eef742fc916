using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.BreakEven;

/// <summary>Where self-hosting a workload starts to beat an API price.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="Api">The API's rates.</param>
/// <param name="SelfHost">The deployment.</param>
/// <param name="ApiPerRequest">API $ per (average) request.</param>
/// <param name="SelfHostPerRequestAtFullUse">Cluster $ per request when busy every hour: the floor of self-hosting.</param>
/// <param name="ClusterPerDay">Cluster $/h × 24 h.</param>
/// <param name="CapacityRequestsPerDay">Requests one cluster serves per day at its maximum utilisation.</param>
/// <param name="CapacityTokensPerDay">The same in tokens.</param>
/// <param name="BreakEvenRequestsPerDay">Cluster $/day ÷ API $/request: the volume where one cluster costs what the API
/// would; null when self-hosting never wins (the API is cheaper than a fully used cluster).</param>
/// <param name="BreakEvenTokensPerDay">The same in tokens.</param>
/// <param name="BreakEvenUtilisation">Cluster utilisation at the break-even volume = self-host $/request at full use ÷ API $/request.</param>
/// <param name="Table">Costs over a range of volumes.</param>
/// <param name="Notes">What the figures assume, and where the winner changes back.</param>
public sealed record BreakEvenResult(
    string WorkloadId,
    PriceSheet Api,
    SelfHostDeployment SelfHost,
    Dollars ApiPerRequest,
    Dollars SelfHostPerRequestAtFullUse,
    Dollars ClusterPerDay,
    double CapacityRequestsPerDay,
    Tokens CapacityTokensPerDay,
    double? BreakEvenRequestsPerDay,
    Tokens? BreakEvenTokensPerDay,
    double? BreakEvenUtilisation,
    IReadOnlyList<BreakEvenRow> Table,
    IReadOnlyList<string> Notes)
{
    /// <summary>When the self-hosted cluster speculates: plain against speculative decoding at the batch the engine ran
    /// the workload's mean request at (the speed-up the cluster's output rate and capacity reflect); null otherwise.</summary>
    public Speculation.SpeculationSummary? SelfHostSpeculation { get; init; }

    /// <summary>Sequences per replica the engine decoded the cluster's mean request at; null when the deployment was
    /// given rather than quoted by the engine.</summary>
    public int? SelfHostBatch { get; init; }

    /// <summary>The analysis again at the ends of the engine's calibrated throughput band; null when the deployment was
    /// given rather than quoted by the engine.</summary>
    public BreakEvenBands? Bands { get; init; }
}

/// <summary>Break-even at one engine speed ratio r: the cluster's rates at full use ÷ r (its cost per request), so its
/// capacity × r; the break-even volume (cluster $/day ÷ API $/request) moves only when it crosses the capacity.</summary>
/// <param name="SpeedRatio">Actual ÷ predicted throughput.</param>
/// <param name="SelfHostPerRequestAtFullUse">Cluster $ per request when busy every hour.</param>
/// <param name="CapacityRequestsPerDay">Requests one cluster serves per day at its maximum utilisation.</param>
/// <param name="BreakEvenRequestsPerDay">The break-even volume; null when self-hosting never wins at this speed.</param>
/// <param name="BreakEvenUtilisation">Cluster utilisation at the break-even; null when never.</param>
public sealed record BreakEvenEnd(double SpeedRatio, Dollars SelfHostPerRequestAtFullUse, double CapacityRequestsPerDay, double? BreakEvenRequestsPerDay,
    double? BreakEvenUtilisation)
{
    /// <summary>The end of <paramref name="result"/> analysed at <paramref name="speedRatio"/>.</summary>
    public static BreakEvenEnd Of(double speedRatio, BreakEvenResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new BreakEvenEnd(speedRatio, result.SelfHostPerRequestAtFullUse, result.CapacityRequestsPerDay, result.BreakEvenRequestsPerDay, result.BreakEvenUtilisation);
    }
}

/// <summary>Break-even at the calibrated band's slow (P10) and fast (P90) engine speeds (docs/economics.md#break-even).</summary>
/// <param name="Speed">The band and its evidence.</param>
/// <param name="Slow">At the low speed ratio: the dearest cluster per request, the smallest capacity.</param>
/// <param name="Fast">At the high speed ratio.</param>
public sealed record BreakEvenBands(Calibration.PredictionBand Speed, BreakEvenEnd Slow, BreakEvenEnd Fast);
