using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>One pool of a heterogeneous fleet, as a run used it.</summary>
/// <param name="Name">The pool's name (<see cref="FleetPool.Name"/>).</param>
/// <param name="Accelerator">Its accelerator's id.</param>
/// <param name="DecodeRate">What the router weighs it by: one replica's decode rate at its reference batch
/// (<see cref="FleetRouting.DecodeRate"/>).</param>
/// <param name="RoutedShare">Share of the fleet's arrivals the router sent to the pool.</param>
/// <param name="Result">The pool's own figures: requests routed to it (<see cref="SimulationResult.Arrived"/>), those
/// it rejected and completed, latency, throughput, busy fraction and KV use of its replicas, and its cost with its own
/// GPU price over the fleet's wall time (the pool is paid for while the fleet runs).</param>
public sealed record PoolResult(string Name, string Accelerator, TokensPerSecond DecodeRate, double RoutedShare, SimulationResult Result)
{
    /// <summary>What the pool's replicas do; with roles, <see cref="RoutedShare"/> is the share of the fleet's arrivals
    /// a prefill pool was sent, and the share handed over to a decode pool.</summary>
    public ReplicaRole Role { get; init; } = ReplicaRole.Combined;

    /// <summary>A prefill pool's routing weight: one replica's prefill rate (<see cref="FleetRouting.PrefillRate"/>);
    /// null for other pools.</summary>
    public TokensPerSecond? PrefillRate { get; init; }
}

/// <summary>What a run of a heterogeneous fleet measured.</summary>
/// <param name="Fleet">The whole fleet as one: every request, every device, the sum of the pools' costs. Its
/// <see cref="SimulationResult.Layout"/> names every pool; <see cref="SimulationResult.DevicesPerReplica"/> and
/// <see cref="SimulationResult.KvBlocksPerReplica"/> are the first pool's.</param>
/// <param name="Pools">Each pool, in the order given.</param>
public sealed record FleetResult(SimulationResult Fleet, IReadOnlyList<PoolResult> Pools)
{
    /// <summary>With prefill and decode pools: prefill end → KV cache on the decode replica, over every handover; null
    /// for a fleet of combined pools.</summary>
    public LatencySummary? Handoff { get; init; }
}
