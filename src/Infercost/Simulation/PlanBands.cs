using Infercost.Calibration;
using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>The plan at one end of the calibrated band: the fleet the planner finds when every step runs at that
/// engine speed (<see cref="Serving.ServingConfig.SpeedFactor"/>), or why none meets the SLO.</summary>
/// <param name="SpeedRatio">Actual ÷ predicted engine speed the planner's simulations ran at.</param>
/// <param name="Layout">The replica layout chosen; null when no fleet meets the SLO.</param>
/// <param name="Devices">Devices in the fleet; null when no fleet meets the SLO.</param>
/// <param name="Replicas">Replicas in the fleet; null when no fleet meets the SLO.</param>
/// <param name="FixedFleetPerDay">The fixed fleet's cost for the day; null when no fleet meets the SLO.</param>
/// <param name="OutputPerMillion">The fixed fleet's $ per million output tokens over the day; null when none meets the SLO.</param>
/// <param name="Failure">Why no fleet meets the SLO at this speed; null when one does.</param>
public sealed record PlanEnd(double SpeedRatio, string? Layout, int? Devices, int? Replicas, Dollars? FixedFleetPerDay,
    DollarsPerMillionTokens? OutputPerMillion, string? Failure)
{
    /// <summary>The end for <paramref name="plan"/> planned at <paramref name="speedRatio"/>.</summary>
    public static PlanEnd Of(double speedRatio, CapacityPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanEnd(speedRatio, plan.Layout, plan.Devices, plan.Replicas, plan.FixedFleet.Cost, plan.FixedFleet.OutputPerMillion, null);
    }

    /// <summary>An end at which no fleet meets the SLO.</summary>
    public static PlanEnd Failed(double speedRatio, string reason) => new(speedRatio, null, null, null, null, null, reason);
}

/// <summary>A plan's P10–P90 (<c>plan --bands</c>): the planner run again with every step at the engine speeds of the
/// calibrated band's ends (actual ÷ predicted throughput at P10 and P90, widened for what the central plan extrapolates).
/// The slow end is the fleet to buy if the engine turns out as slow as the band's P10; the fast end what the P90 would
/// need. The planner's layout search, trials and SLO test are the same; only the step times change.</summary>
/// <param name="Speed">The band (its evidence in <see cref="PredictionBand.Basis"/>).</param>
/// <param name="Slow">The plan at the band's low speed ratio.</param>
/// <param name="Fast">The plan at its high speed ratio.</param>
public sealed record PlanBands(PredictionBand Speed, PlanEnd Slow, PlanEnd Fast);

/// <summary>The split plan at one end of the calibrated band (<c>plan --disaggregated --bands</c>): the prefill and decode
/// pools the planner finds when every step of both runs at that engine speed, with the replica sizes of the plan as
/// modelled, or why no pair of pools meets the SLO.</summary>
/// <param name="SpeedRatio">Actual ÷ predicted engine speed the planner's simulations ran at.</param>
/// <param name="PrefillReplicas">Replicas in the prefill pool; null when no pools meet the SLO.</param>
/// <param name="DecodeReplicas">Replicas in the decode pool; null when no pools meet the SLO.</param>
/// <param name="Devices">Devices in both pools; null when no pools meet the SLO.</param>
/// <param name="FixedFleetPerDay">Both pools' cost for the day, fixed at the peak; null when no pools meet the SLO.</param>
/// <param name="OutputPerMillion">That day's $ per million output tokens; null when no pools meet the SLO.</param>
/// <param name="Failure">Why no pools meet the SLO at this speed; null when a pair does.</param>
public sealed record DisaggregatedPlanEnd(double SpeedRatio, int? PrefillReplicas, int? DecodeReplicas, int? Devices, Dollars? FixedFleetPerDay,
    DollarsPerMillionTokens? OutputPerMillion, string? Failure)
{
    /// <summary>The end for <paramref name="plan"/> planned at <paramref name="speedRatio"/>.</summary>
    public static DisaggregatedPlanEnd Of(double speedRatio, DisaggregatedPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new DisaggregatedPlanEnd(speedRatio, plan.PrefillReplicas, plan.DecodeReplicas, plan.Devices, plan.FixedFleet.Cost,
            plan.FixedFleet.OutputPerMillion, null);
    }

    /// <summary>An end at which no pools meet the SLO.</summary>
    public static DisaggregatedPlanEnd Failed(double speedRatio, string reason) => new(speedRatio, null, null, null, null, null, reason);
}

/// <summary>A split plan's P10–P90 (<c>plan --disaggregated --bands</c>): both pools planned again at the engine speeds
/// of the calibrated band's ends, widened for what either pool extrapolates. Prefill-to-decode KV transfers are not
/// stretched: the link is not the step model's (docs/validation.md#plan-bands).</summary>
/// <param name="Speed">The band (its evidence in <see cref="PredictionBand.Basis"/>).</param>
/// <param name="Slow">The split plan at the band's low speed ratio.</param>
/// <param name="Fast">The split plan at its high speed ratio.</param>
public sealed record DisaggregatedPlanBands(PredictionBand Speed, DisaggregatedPlanEnd Slow, DisaggregatedPlanEnd Fast);
