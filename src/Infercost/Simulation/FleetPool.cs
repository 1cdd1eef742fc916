using Infercost.Costing;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>One pool of a heterogeneous fleet: <paramref name="Replicas"/> replicas of one setup (GPU, precisions,
/// layout, model), behind the fleet's one router with the other pools.</summary>
/// <param name="Name">How results and messages name the pool (for example "2").</param>
/// <param name="Setup">Model, device, layout, precisions and efficiency of one replica.</param>
/// <param name="Replicas">Replicas in the pool.</param>
/// <param name="Scheduler">The pool's scheduler (its max batch counts its own attention-DP ranks); null for the run's.</param>
/// <param name="Basis">How the pool's devices are paid for; null for the run's <see cref="SimulationOptions.Basis"/>.</param>
/// <param name="Role">What its replicas do: everything (the default), or prefill or decode only, in a fleet whose pools
/// all have a role, at least one of each (see docs/simulation.md#heterogeneous-fleets).</param>
public sealed record FleetPool(string Name, ServingSetup Setup, int Replicas, SchedulerConfig? Scheduler = null, CostBasis? Basis = null,
    ReplicaRole Role = ReplicaRole.Combined)
{
    /// <summary>Devices in the pool: replicas × devices per replica.</summary>
    public int Devices => Replicas * Setup.DevicesPerReplica;

    /// <summary>The pool, for example "4 of 4 × nvidia-h100-sxm (TP4)".</summary>
    public string Layout => $"{Replicas} of {Setup.Layout}";
}
