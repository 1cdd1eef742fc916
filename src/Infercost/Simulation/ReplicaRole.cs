namespace Infercost.Simulation;

/// <summary>What a replica (and a pool of a fleet, <see cref="FleetPool.Role"/>) does with a request: everything, or one
/// phase of a disaggregated fleet.</summary>
public enum ReplicaRole
{
    /// <summary>Prefill and decode on the same replica (the usual engine).</summary>
    Combined,

    /// <summary>Prompt processing only: at the end of its prefill a sequence is handed to the decode pool.</summary>
    Prefill,

    /// <summary>Decode only: sequences arrive with their prompt computed and wait for their KV cache to be transferred.</summary>
    Decode,
}
