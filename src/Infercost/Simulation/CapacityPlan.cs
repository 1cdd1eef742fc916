using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>One replica size the planner tried.</summary>
/// <param name="DevicesPerReplica">Devices per replica.</param>
/// <param name="Layout">Its layout, or the size alone when none is valid.</param>
/// <param name="Replicas">Fewest replicas meeting the SLO at the peak; null when none does.</param>
/// <param name="Devices">Replicas × devices per replica; null when infeasible.</param>
/// <param name="Reason">Why it is infeasible; null when feasible.</param>
/// <param name="Trials">Simulations run for this size.</param>
public sealed record LayoutOption(int DevicesPerReplica, string Layout, int? Replicas, int? Devices, string? Reason, int Trials);

/// <summary>The fleet in one autoscaling step.</summary>
/// <param name="StartHour">First hour of the step (0–23).</param>
/// <param name="Hours">Hours in the step.</param>
/// <param name="Rate">Requests per second the step is sized for (its busiest hour).</param>
/// <param name="Replicas">Fewest replicas meeting the SLO at that rate (0 when the rate is 0).</param>
/// <param name="Devices">Replicas × devices per replica.</param>
public sealed record AutoscaleStep(int StartHour, int Hours, double Rate, int Replicas, int Devices);

/// <summary>A day of serving under one fleet strategy.</summary>
/// <param name="Strategy">"fixed" (sized for the peak all day) or "autoscaled".</param>
/// <param name="DeviceHours">Device-hours paid for.</param>
/// <param name="Cost">Device-hours × price per device-hour.</param>
/// <param name="Requests">Requests served over the day (Σ hourly rate × 3,600).</param>
/// <param name="Tokens">Prompt + output tokens served (requests × the peak trial's mean per request).</param>
/// <param name="OutputTokens">Output tokens served.</param>
/// <param name="BlendedPerMillion">Cost ÷ tokens × 10⁶.</param>
/// <param name="OutputPerMillion">Cost ÷ output tokens × 10⁶.</param>
public sealed record DayCost(string Strategy, double DeviceHours, Dollars Cost, double Requests, Tokens Tokens, Tokens OutputTokens,
    DollarsPerMillionTokens BlendedPerMillion, DollarsPerMillionTokens OutputPerMillion);

/// <summary>The capacity planner's answer.</summary>
/// <param name="PeakRate">Requests per second the fleet is sized for.</param>
/// <param name="Slo">The P90 targets.</param>
/// <param name="Layout">The chosen replica layout, for example "2 × nvidia-h100-sxm (TP2)".</param>
/// <param name="Parallelism">Its parallelism.</param>
/// <param name="DevicesPerReplica">Devices per replica.</param>
/// <param name="Replicas">Fewest replicas meeting the SLO at the peak.</param>
/// <param name="Devices">Replicas × devices per replica: the fewest devices over every layout tried.</param>
/// <param name="AtPeak">The simulation that shows the fleet meets the SLO.</param>
/// <param name="OneFewer">The same stream on one replica fewer, which misses it; null when the fleet is one replica.</param>
/// <param name="Layouts">Every replica size tried.</param>
/// <param name="HourlyRates">The day's rates (requests per second by hour).</param>
/// <param name="AutoscaleStepHours">Hours per autoscaling step.</param>
/// <param name="Autoscaled">The fleet step by step.</param>
/// <param name="FixedFleet">The day with the peak fleet all day.</param>
/// <param name="Autoscaling">The day with the fleet following the load.</param>
/// <param name="StaticBlendedPerMillion">ServingEstimator + CostModel for the same fleet and mean request, at full
/// utilisation: the analytic estimate; null when it could not be made.</param>
/// <param name="StaticOutputPerMillion">The same estimate's output price.</param>
/// <param name="Trials">Simulations run in all.</param>
/// <param name="PeakTrial">How <paramref name="AtPeak"/> was run and judged steady.</param>
/// <param name="OneFewerTrial">How <paramref name="OneFewer"/> was run; null when the fleet is one replica.</param>
/// <param name="Saturation">What one replica of the chosen layout completes when saturated (the search's start).</param>
public sealed record CapacityPlan(
    double PeakRate,
    Slo Slo,
    string Layout,
    Parallelism Parallelism,
    int DevicesPerReplica,
    int Replicas,
    int Devices,
    SimulationResult AtPeak,
    SimulationResult? OneFewer,
    IReadOnlyList<LayoutOption> Layouts,
    IReadOnlyList<double> HourlyRates,
    int AutoscaleStepHours,
    IReadOnlyList<AutoscaleStep> Autoscaled,
    DayCost FixedFleet,
    DayCost Autoscaling,
    DollarsPerMillionTokens? StaticBlendedPerMillion,
    DollarsPerMillionTokens? StaticOutputPerMillion,
    int Trials,
    PlanTrial PeakTrial,
    PlanTrial? OneFewerTrial,
    ReplicaSaturation Saturation);

/// <summary>One replica saturated: a closed loop holding <paramref name="Concurrency"/> requests in flight.</summary>
/// <param name="Concurrency">Requests kept in flight (the scheduler's batch limit, or what the KV cache holds at mean lengths).</param>
/// <param name="RequestsPerSecond">Requests completed per second: no fleet of n replicas keeps up with more than n times this.</param>
/// <param name="Lifetime">Mean arrival-to-completion time at saturation: the time scale a trial must cover many times.</param>
public sealed record ReplicaSaturation(int Concurrency, double RequestsPerSecond, Seconds Lifetime);

/// <summary>One planner trial: a fleet of <paramref name="Replicas"/> judged by simulating <paramref name="SimulatedReplicas"/>
/// of them at their share of the rate.</summary>
/// <param name="Replicas">The fleet judged.</param>
/// <param name="SimulatedReplicas">Replicas simulated (min(fleet, 8)); each gets rate ÷ fleet under random routing.</param>
/// <param name="Rate">Requests per second fed to the simulated replicas.</param>
/// <param name="WarmUp">Arrivals before this are served but not measured.</param>
/// <param name="Horizon">Arrivals stop here.</param>
/// <param name="BacklogFirstHalf">Mean waiting + running requests per replica over the first half of the measured window.</param>
/// <param name="BacklogSecondHalf">The same over the second half.</param>
/// <param name="Unsteady">Why steady state was not shown (backlog growing, too few measured requests); null when it was.</param>
/// <param name="Result">The simulation.</param>
public sealed record PlanTrial(int Replicas, int SimulatedReplicas, double Rate, Seconds WarmUp, Seconds Horizon,
    double BacklogFirstHalf, double BacklogSecondHalf, string? Unsteady, SimulationResult Result)
{
    /// <summary>Steady, and both P90s within the SLO with nothing rejected.</summary>
    public bool Passes => Unsteady is null && Result.MeetsSloAtP90;

    /// <summary>The P90s, or why the run is not steady.</summary>
    public string Describe() => Unsteady ?? $"P90 TTFT {Result.TimeToFirstToken.P90}, P90 TPOT {Result.TimePerOutputToken.P90}";
}

/// <summary>The planner's search for one replica layout (<see cref="CapacityPlanner.SizeFleet"/>).</summary>
/// <param name="Replicas">Fewest replicas meeting the SLO; null when none up to the limit does.</param>
/// <param name="Reason">Why none does; null when one does.</param>
/// <param name="Trials">Simulations run (the saturation run included).</param>
/// <param name="Pass">The trial of <paramref name="Replicas"/>; null when infeasible.</param>
/// <param name="Fail">The last failing trial (one replica fewer when feasible); null when none was run.</param>
/// <param name="Saturation">One replica saturated; null when one request alone already misses the SLO.</param>
public sealed record FleetSizing(int? Replicas, string? Reason, int Trials, PlanTrial? Pass, PlanTrial? Fail, ReplicaSaturation? Saturation);
