using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Routing;

/// <summary>A tier's part of a routed workload.</summary>
/// <param name="Tier">The tier.</param>
/// <param name="AllTraffic">The whole workload sent to this tier alone.</param>
/// <param name="PerDay">Share × the whole workload's cost on this tier.</param>
public sealed record TierCost(RouteTier Tier, WorkloadCost AllTraffic, Dollars PerDay);
