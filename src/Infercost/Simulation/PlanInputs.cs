using Infercost.Costing;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>What the capacity planner is asked: serve <paramref name="PeakRate"/> requests per second within the SLO
/// with the fewest devices, and price the day.</summary>
/// <param name="Model">The model.</param>
/// <param name="Accelerator">The device.</param>
/// <param name="Config">Precisions, memory reserve and efficiency factors (its device count and layout are ignored:
/// the planner chooses them).</param>
/// <param name="Scheduler">The engine's scheduler settings.</param>
/// <param name="Input">Prompt lengths.</param>
/// <param name="Output">Output lengths.</param>
/// <param name="PeakRate">Requests per second at the busiest hour.</param>
/// <param name="Slo">P90 targets for time to first token and time per output token.</param>
/// <param name="Basis">How devices are paid for.</param>
/// <param name="Day">Hourly rates over the day; null for a flat day at the peak rate.</param>
/// <param name="Arrival">Poisson or gamma gaps.</param>
/// <param name="CoefficientOfVariation">Gap variability for gamma arrivals.</param>
/// <param name="AutoscaleStepHours">Autoscaling resizes the fleet every this many hours, for the busiest hour in each step.</param>
/// <param name="Seed">Fixes every trial's request stream (all trials share it: common random numbers).</param>
/// <param name="TrialSeconds">Least simulated arrival time per trial (trials also cover 30 request lifetimes, within 200,000 requests).</param>
/// <param name="MaxDevicesPerReplica">Largest replica tried; sizes 1, 2, 4, ... up to it.</param>
/// <param name="MaxReplicas">Largest fleet tried per layout.</param>
/// <param name="MaxTrialRequests">Most requests one generated trial simulates, whatever the rate: the bound on work per trial.</param>
/// <param name="Trace">A recorded request stream (time order) to judge fleets on instead of generated trials: a fleet of n
/// replicas is judged by min(n, <see cref="CapacityPlanner.MaxPoolReplicas"/>) of them on the trace thinned to their
/// share (random routing); null for generated trials.</param>
/// <param name="PrefixCache">Each simulated replica's prefix cache (trace replay with block ids); null for none.</param>
public sealed record PlanInputs(
    ModelArchitecture Model,
    Accelerator Accelerator,
    ServingConfig Config,
    SchedulerConfig Scheduler,
    LengthDistribution Input,
    LengthDistribution Output,
    double PeakRate,
    Slo Slo,
    CostBasis Basis,
    RateCurve? Day = null,
    ArrivalKind Arrival = ArrivalKind.Poisson,
    double CoefficientOfVariation = 1,
    int AutoscaleStepHours = 1,
    long Seed = 1,
    double TrialSeconds = 120,
    int MaxDevicesPerReplica = 8,
    int MaxReplicas = 1_000_000,
    long MaxTrialRequests = CapacityPlanner.MaxTrialRequests,
    IReadOnlyList<SimRequest>? Trace = null,
    PrefixCacheSpec? PrefixCache = null)
{
    /// <summary>Checks each field's range.</summary>
    public PlanInputs Validated()
    {
        ArgumentNullException.ThrowIfNull(Model);
        ArgumentNullException.ThrowIfNull(Accelerator);
        ArgumentNullException.ThrowIfNull(Config);
        ArgumentNullException.ThrowIfNull(Input);
        ArgumentNullException.ThrowIfNull(Output);
        ArgumentNullException.ThrowIfNull(Basis);
        (Scheduler ?? throw new ArgumentNullException(nameof(Scheduler))).Validated();
        (Slo ?? throw new ArgumentNullException(nameof(Slo))).Validated();
        Guard.InRange(PeakRate, 1e-6, 1e6, "rate");
        Guard.InRange(CoefficientOfVariation, 0.05, 20, "cv");
        Guard.InRange(AutoscaleStepHours, 1, 24, "autoscaleStep");
        Guard.InRange(TrialSeconds, 1, 86_400, "trialSeconds");
        Guard.InRange(MaxDevicesPerReplica, 1, 1024, "maxDevicesPerReplica");
        Guard.InRange(MaxReplicas, 1, 10_000_000, "maxReplicas");
        if (MaxTrialRequests < 1000 || MaxTrialRequests > CapacityPlanner.MaxTrialRequests)
        {
            throw new InvalidInputException("trialRequests", $"trialRequests must be in [1000, {CapacityPlanner.MaxTrialRequests}]; was {MaxTrialRequests}.");
        }

        PrefixCache?.Validated();
        if (Trace is { Count: < 2 }) throw new InvalidInputException("trace", $"trace must hold at least two requests; had {Trace.Count}.");
        return this;
    }
}
