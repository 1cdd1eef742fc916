using Infercost.Calibration;
using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>The <c>datacenter</c> answer (what <c>infercost datacenter --json</c> prints and <c>POST /api/datacenter</c>
/// returns).</summary>
/// <param name="Plan">The sized datacentre.</param>
/// <param name="Claim">The power claim checked, when one was given.</param>
/// <param name="ParameterSources">Where each default facility factor comes from, by CLI flag.</param>
public sealed record DatacenterReport(DatacenterPlan Plan, PowerClaimCheck? Claim, IReadOnlyDictionary<string, string> ParameterSources)
{
    /// <summary>With the engine's serving rate (<c>model</c>): where its estimate lies outside calibration coverage;
    /// empty with given rates or none.</summary>
    public IReadOnlyList<Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>With the engine's serving rate: the plan again at the ends of its calibrated throughput band
    /// (<see cref="DatacenterBands"/>); null with given rates or none.</summary>
    public DatacenterBands? Bands { get; init; }
}

/// <summary>A datacentre plan at the ends of the engine's calibrated throughput band: the same sizing and facility,
/// with every accelerator's prefill and decode rates × the band's ratio r (docs/economics.md#datacentre-scale). Sized
/// from accelerators, power or capex, the fleet stays and its tokens and users scale × r, its owned $/MTok ÷ r; sized
/// from tokens per day or users, the fleet is ⌈demand ÷ (r × tokens per accelerator)⌉ and its power and capex follow.</summary>
/// <param name="Speed">The band (actual ÷ predicted throughput at P10 and P90) and its evidence.</param>
/// <param name="Slow">The plan with the rates × the band's low ratio.</param>
/// <param name="Fast">The plan with the rates × the band's high ratio.</param>
public sealed record DatacenterBands(PredictionBand Speed, DatacenterEnd Slow, DatacenterEnd Fast);

/// <summary>One end of <see cref="DatacenterBands"/>: what changes with the serving rate.</summary>
/// <param name="Ratio">The speed ratio r the accelerators' rates were multiplied by.</param>
/// <param name="Accelerators">Accelerators installed; null when the end cannot be planned (<see cref="Failure"/>).</param>
/// <param name="FacilityPower">Accelerators × facility watts.</param>
/// <param name="TotalCapex">Accelerators × capex per accelerator; null without a price.</param>
/// <param name="TokensPerDay">Tokens served per day by the fleet.</param>
/// <param name="Users">Tokens per day ÷ tokens per user per day; null without a usage profile.</param>
/// <param name="CostPerMillionTokens">Owned $/MTok; null without a price.</param>
/// <param name="Failure">Why the end has no plan (a demand that needs more accelerators than a plan holds); null otherwise.</param>
public sealed record DatacenterEnd(double Ratio, long? Accelerators, Watts? FacilityPower, Dollars? TotalCapex, Tokens? TokensPerDay,
    double? Users, DollarsPerMillionTokens? CostPerMillionTokens, string? Failure)
{
    /// <summary>The end from a plan made at speed ratio <paramref name="ratio"/>.</summary>
    public static DatacenterEnd Of(double ratio, DatacenterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(ratio, plan.Accelerators, plan.FacilityPower, plan.TotalCapex, plan.TokensPerDay, plan.Users, plan.CostPerMillionTokens, null);
    }

    /// <summary>An end that cannot be planned, with the reason.</summary>
    public static DatacenterEnd Failed(double ratio, string reason) => new(ratio, null, null, null, null, null, null, reason);
}
