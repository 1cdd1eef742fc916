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
public sealed record PoolResult(string Name, string Accelerator, TokensPerSecond DecodeRate, double RoutedShare, SimulationResult Result);

/// <summary>What a run of a heterogeneous fleet measured.</summary>
/// <param name="Fleet">The whole fleet as one: every request, every device, the sum of the pools' costs. Its
/// <see cref="SimulationResult.Layout"/> names every pool; <see cref="SimulationResult.DevicesPerReplica"/> and
/// <see cref="SimulationResult.KvBlocksPerReplica"/> are the first pool's.</param>
/// <param name="Pools">Each pool, in the order given.</param>
public sealed record FleetResult(SimulationResult Fleet, IReadOnlyList<PoolResult> Pools);
