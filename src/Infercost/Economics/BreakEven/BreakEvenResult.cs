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
}
