using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>The capacity planner's answer for a fleet split into prefill and decode pools.</summary>
/// <param name="PeakRate">Requests per second the fleet is sized for.</param>
/// <param name="Slo">The P90 targets.</param>
/// <param name="PrefillLayout">Layout of one prefill replica.</param>
/// <param name="PrefillParallelism">Its parallelism.</param>
/// <param name="PrefillReplicas">Fewest prefill replicas meeting the SLO with the decode pool below.</param>
/// <param name="DecodeLayout">Layout of one decode replica.</param>
/// <param name="DecodeParallelism">Its parallelism.</param>
/// <param name="DecodeReplicas">Fewest decode replicas meeting the SLO with the prefill pool above.</param>
/// <param name="PrefillDevices">Prefill replicas × devices per replica.</param>
/// <param name="DecodeDevices">Decode replicas × devices per replica.</param>
/// <param name="Devices">Both pools' devices.</param>
/// <param name="AtPeak">The simulation of the pair that shows it meets the SLO.</param>
/// <param name="OnePrefillFewer">The same stream with one prefill replica fewer, which misses it; null when the
/// prefill pool is one replica.</param>
/// <param name="OneDecodeFewer">The same stream with one decode replica fewer, which misses it; null when the decode
/// pool is one replica.</param>
/// <param name="FixedFleet">The day with the pair running all day (no autoscaling of disaggregated pools).</param>
/// <param name="Trials">Simulations run in all.</param>
public sealed record DisaggregatedPlan(
    double PeakRate,
    Slo Slo,
    string PrefillLayout,
    Parallelism PrefillParallelism,
    int PrefillReplicas,
    string DecodeLayout,
    Parallelism DecodeParallelism,
    int DecodeReplicas,
    int PrefillDevices,
    int DecodeDevices,
    int Devices,
    DisaggregatedResult AtPeak,
    DisaggregatedResult? OnePrefillFewer,
    DisaggregatedResult? OneDecodeFewer,
    DayCost FixedFleet,
    int Trials);
