namespace Infercost.Simulation;

/// <summary>Replicas fail at random and come back after a repair: each up replica fails at rate 1 ÷
/// <paramref name="MeanTimeBetweenFailures"/> (exponential times to failure, so the fleet fails at rate up ÷ MTBF), stays
/// down for <paramref name="RepairSeconds"/>, then returns empty (a cold cache). What it held is lost and recomputed
/// on the replicas still up; see docs/simulation.md#failures.</summary>
/// <param name="MeanTimeBetweenFailures">Mean seconds between failures of one replica, in [1, 10⁹].</param>
/// <param name="RepairSeconds">Seconds a failed replica stays down (restart, reload of the weights), in [0, 10⁷].</param>
/// <param name="Seed">Seeds the failure times and which replica fails (its own stream, not the workload's).</param>
public sealed record FailureSpec(double MeanTimeBetweenFailures, double RepairSeconds, long Seed = 1)
{
    /// <summary>Checks each field's range.</summary>
    public FailureSpec Validated()
    {
        Guard.InRange(MeanTimeBetweenFailures, 1, 1e9, "mtbf");
        Guard.InRange(RepairSeconds, 0, 1e7, "repairTime");
        return this;
    }
}

/// <summary>What the failures of a run did.</summary>
/// <param name="Failures">Replica failures.</param>
/// <param name="Recoveries">Replicas back after their repair (before the run ended).</param>
/// <param name="InterruptedRequests">Requests a failure took from a replica (waiting or running), each restarted on another.</param>
/// <param name="DownReplicaSeconds">Replica-seconds spent down within the run (paid for, serving nothing).</param>
/// <param name="FleetDownSeconds">Seconds with every replica down (arrivals then wait for the first recovery).</param>
public sealed record FailureUsage(long Failures, long Recoveries, long InterruptedRequests, double DownReplicaSeconds, double FleetDownSeconds);
