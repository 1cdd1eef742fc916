using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Routing;

/// <summary>A workload split across tiers, against sending everything to one baseline tier.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="Tiers">Each tier's share and cost.</param>
/// <param name="PerDay">Σ share × cost on the tier, per day.</param>
/// <param name="PerMonth">Per day × 30.</param>
/// <param name="Baseline">The whole workload on the baseline tier.</param>
/// <param name="SavingPerDay">Baseline per day − routed per day.</param>
/// <param name="SavingFraction">Saving ÷ baseline (0 when the baseline costs nothing).</param>
/// <param name="BlendedPerMillion">Routed per day ÷ tokens per day.</param>
public sealed record RoutingResult(
    string WorkloadId,
    IReadOnlyList<TierCost> Tiers,
    Dollars PerDay,
    Dollars PerMonth,
    WorkloadCost Baseline,
    Dollars SavingPerDay,
    double SavingFraction,
    DollarsPerMillionTokens BlendedPerMillion);
