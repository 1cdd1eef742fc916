using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>One pool of a disaggregated fleet, as a run used it.</summary>
/// <param name="Layout">Replica layout, for example "1 × nvidia-h100-sxm (TP1)".</param>
/// <param name="Replicas">Replicas in the pool.</param>
/// <param name="DevicesPerReplica">Devices per replica.</param>
/// <param name="Devices">Replicas × devices per replica.</param>
/// <param name="KvBlocksPerReplica">KV-cache blocks one replica holds.</param>
/// <param name="Steps">Forward steps the pool ran.</param>
/// <param name="BusyFraction">Time its replicas spent in steps ÷ (replicas × wall time).</param>
/// <param name="PerHour">Hourly cost of its devices; null without a cost basis.</param>
public sealed record PoolUsage(string Layout, int Replicas, int DevicesPerReplica, int Devices, int KvBlocksPerReplica, long Steps,
    double BusyFraction, DollarsPerHour? PerHour);

/// <summary>What a run of a <see cref="DisaggregatedFleet"/> measured.</summary>
/// <param name="Fleet">The whole fleet as one: latency, goodput, throughput and cost over both pools. Its
/// <see cref="SimulationResult.Layout"/> names both pools, <see cref="SimulationResult.Replicas"/> counts both, and
/// <see cref="SimulationResult.DevicesPerReplica"/> and <see cref="SimulationResult.KvBlocksPerReplica"/> are the
/// decode pool's. Time to first token runs from arrival to the end of the KV transfer (the first token, computed by
/// the prefill replica, travels with the cache); time per output token comes from the decode pool.</param>
/// <param name="Prefill">The prefill pool.</param>
/// <param name="Decode">The decode pool.</param>
/// <param name="Handoff">End of prefill → KV cache on the decode replica: waiting for decode admission, for the
/// replica's link and the transfer itself.</param>
public sealed record DisaggregatedResult(SimulationResult Fleet, PoolUsage Prefill, PoolUsage Decode, LatencySummary Handoff);
