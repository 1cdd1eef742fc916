using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>A datacentre from accelerators to megawatts, dollars, tokens and users.</summary>
/// <param name="AcceleratorId">Catalog id of the accelerator.</param>
/// <param name="Sizing">What it was sized from.</param>
/// <param name="Parameters">The facility factors used.</param>
/// <param name="Accelerators">Accelerators installed (a whole number: rounded down from a power or capex budget, up
/// from a demand).</param>
/// <param name="PerAccelerator">Power chain of one accelerator.</param>
/// <param name="BoardPower">Accelerators × board power: what counting TDP only gives.</param>
/// <param name="ItPower">Accelerators × IT watts.</param>
/// <param name="FacilityPower">Accelerators × facility watts.</param>
/// <param name="AnnualEnergy">Facility power × 8,760 h × utilisation.</param>
/// <param name="AnnualElectricity">Annual energy × $/kWh.</param>
/// <param name="Capex">Capex chain of one accelerator; null without a price.</param>
/// <param name="TotalCapex">Accelerators × capex per accelerator; null without a price.</param>
/// <param name="OwnedPerAcceleratorHour">Depreciation per hour + energy per hour (at utilisation) per accelerator; null
/// without a price.</param>
/// <param name="Utilisation">Average fraction of the time the fleet is busy (energy and tokens scale with it).</param>
/// <param name="Throughput">Serving rate per accelerator; null when none was given.</param>
/// <param name="TokensPerDay">Tokens served per day by the whole fleet; null without a throughput.</param>
/// <param name="TokensPerUserPerDay">Usage profile; null when none was given.</param>
/// <param name="Users">Tokens per day ÷ tokens per user per day; null without both.</param>
/// <param name="CostPerMillionTokens">Owned cost per hour × accelerators × 24 ÷ tokens per day; null without price and
/// throughput.</param>
public sealed record DatacenterPlan(
    string AcceleratorId,
    DatacenterSizing Sizing,
    FacilityParameters Parameters,
    long Accelerators,
    PowerChain PerAccelerator,
    Watts BoardPower,
    Watts ItPower,
    Watts FacilityPower,
    Joules AnnualEnergy,
    Dollars AnnualElectricity,
    CapexChain? Capex,
    Dollars? TotalCapex,
    DollarsPerHour? OwnedPerAcceleratorHour,
    double Utilisation,
    AcceleratorThroughput? Throughput,
    Tokens? TokensPerDay,
    double? TokensPerUserPerDay,
    double? Users,
    DollarsPerMillionTokens? CostPerMillionTokens);
