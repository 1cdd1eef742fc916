namespace Infercost.Simulation;

/// <summary>
/// Reactive autoscaling of an aggregated open-loop fleet, as KEDA or Knative's autoscaler runs it: every
/// <paramref name="IntervalSeconds"/> the autoscaler reads the requests outstanding on the replicas that take traffic
/// (running and queued, plus those waiting for any replica) and wants ⌈outstanding ÷ <paramref name="TargetPerReplica"/>⌉
/// replicas, between <paramref name="MinReplicas"/> and the fleet's size. A replica asked for becomes routable
/// <paramref name="ColdStartSeconds"/> later (weights loaded, engine warmed up) and is paid for from the moment it is
/// asked for. Scaling down waits until no scale-up happened for <paramref name="ScaleDownDelaySeconds"/>; a replica
/// scaled down takes no new request, finishes what it holds and is released (no longer paid for) at the first interval
/// that finds it empty. With <paramref name="MinReplicas"/> 0 an arrival that finds no replica asks for one at once,
/// as Knative's activator does.
/// </summary>
/// <param name="MinReplicas">Fewest replicas provisioned (0 scales to zero).</param>
/// <param name="TargetPerReplica">Outstanding requests per replica the autoscaler aims at (Knative's target concurrency).</param>
/// <param name="ColdStartSeconds">From asking for a replica to its first request: provisioning, weight load, warm-up (s).</param>
/// <param name="IntervalSeconds">Seconds between autoscaler decisions (KEDA's pollingInterval default: 30 s).</param>
/// <param name="ScaleDownDelaySeconds">Seconds without a scale-up before replicas are removed (KEDA's cooldownPeriod default: 300 s).</param>
public sealed record AutoscaleSpec(int MinReplicas, double TargetPerReplica, double ColdStartSeconds, double IntervalSeconds = 30, double ScaleDownDelaySeconds = 300)
{
    /// <summary>Checks each field's range.</summary>
    public AutoscaleSpec Validated()
    {
        Guard.InRange(MinReplicas, 0, ServingSimulator.MaxReplicas, "autoscaleMin");
        Guard.InRange(TargetPerReplica, 0.01, 1e6, "scaleTarget");
        Guard.InRange(ColdStartSeconds, 0, 86_400, "coldStart");
        Guard.InRange(IntervalSeconds, 0.01, 86_400, "scaleInterval");
        Guard.InRange(ScaleDownDelaySeconds, 0, 7 * 86_400, "scaleDownDelay");
        return this;
    }
}

/// <summary>What the autoscaler did over a run.</summary>
/// <param name="ScaleUps">Replicas asked for (each one a cold start, unless it was a draining replica taken back).</param>
/// <param name="ScaleDowns">Replicas scaled down (each then drained and released).</param>
/// <param name="PeakReplicas">Most replicas provisioned at once (starting, serving or draining).</param>
/// <param name="MeanReplicas">Provisioned replica-seconds ÷ wall time.</param>
/// <param name="ProvisionedReplicaSeconds">Replica-seconds paid for: from each ask to its release or the end of the run.</param>
/// <param name="ColdStartReplicaSeconds">Of those, replica-seconds spent starting (paid for, serving nothing).</param>
/// <param name="FleetReplicaSeconds">What the whole fleet kept up for the run would have cost in replica-seconds.</param>
public sealed record AutoscaleUsage(long ScaleUps, long ScaleDowns, int PeakReplicas, double MeanReplicas, double ProvisionedReplicaSeconds,
    double ColdStartReplicaSeconds, double FleetReplicaSeconds);
