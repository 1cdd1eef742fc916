namespace Infercost.Simulation;

/// <summary>How well one replica's KV cache holds a request's whole context (prompt + output), for KV-aware routing
/// across pools (<see cref="FleetRouting.Fit"/>). Ordered: a larger value fits better.</summary>
internal enum KvFit
{
    /// <summary>The context does not fit in the cache even alone: the replica would reject it.</summary>
    None,

    /// <summary>It fits, but takes more than <see cref="FleetRouting.MaxKvShare"/> of the cache: it would run nearly
    /// alone and be preempted whenever its neighbours' decodes grow.</summary>
    Tight,

    /// <summary>It takes at most <see cref="FleetRouting.MaxKvShare"/> of the cache.</summary>
    Comfortable,
}
